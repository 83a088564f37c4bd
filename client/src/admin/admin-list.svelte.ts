import { ta } from './admin-messages.js';

/**
 * A list an admin page shows and acts on: each action is followed by a fresh copy of the list,
 * and a failure is kept as the message to show, never thrown at the page.
 */
export class AdminList<Item> {
  items = $state<Item[] | undefined>();
  error = $state('');
  notice = $state('');
  /** The key of the item an action is under way on: its buttons wait meanwhile. */
  busy = $state<string | number | undefined>();

  constructor(private readonly fetchItems: () => Promise<Item[]>) {}

  /** Fetches a fresh copy; the last action's notice stays. */
  async reload(): Promise<void> {
    try {
      this.items = await this.fetchItems();
      this.error = '';
    } catch (failure) {
      this.error = ta('loadFailedWith', { message: (failure as Error).message });
    }
  }

  /** Runs `action` on the item keyed `busy`, then reloads; `done` is said on success. */
  async act(action: () => Promise<unknown>, done = '', busy?: string | number): Promise<void> {
    this.busy = busy;
    try {
      this.error = '';
      await action();
      this.notice = done;
    } catch (failure) {
      this.error = ta('saveFailed', { message: (failure as Error).message });
      return;
    } finally {
      this.busy = undefined;
    }
    await this.reload();
  }

  /** Starts over empty (another pot chosen, say) and loads. */
  restart(): Promise<void> {
    this.items = undefined;
    return this.reload();
  }

  /** Loads now and every `everyMs` while the page shows it; returns how to stop (for an effect). */
  follow(everyMs: number): () => void {
    void this.reload();
    const timer = setInterval(() => void this.reload(), everyMs);
    return () => clearInterval(timer);
  }
}
