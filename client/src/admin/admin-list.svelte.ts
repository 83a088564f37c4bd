/**
 * A list an admin page shows and acts on: each action is followed by a fresh copy of the list,
 * and a failure is kept as the message to show, never thrown at the page.
 */
export class AdminList<Item> {
  items = $state<Item[] | undefined>();
  error = $state('');
  notice = $state('');

  constructor(private readonly fetchItems: () => Promise<Item[]>) {}

  /** Runs `action` (none: only loads), then reloads; `done` is said on success. */
  async act(action?: () => Promise<unknown>, done = ''): Promise<void> {
    try {
      this.error = '';
      await action?.();
      this.notice = done;
      this.items = await this.fetchItems();
    } catch (failure) {
      this.error = (failure as Error).message;
    }
  }
}
