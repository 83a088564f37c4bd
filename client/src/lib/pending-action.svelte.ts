import { t } from './i18n.svelte.js';

/**
 * A moderator's action on a panel: what it is under way on (its buttons wait meanwhile), and
 * its failure in words, kept for the panel to show rather than thrown at the page.
 */
export class PendingAction<Key = true> {
  busy = $state<Key | undefined>();
  error = $state('');

  async run(action: () => Promise<unknown>, on?: Key): Promise<void> {
    this.busy = on ?? (true as Key);
    this.error = '';
    try {
      await action();
    } catch (failure) {
      this.error = t('flagSaveFailed', { message: (failure as Error).message });
    } finally {
      this.busy = undefined;
    }
  }
}
