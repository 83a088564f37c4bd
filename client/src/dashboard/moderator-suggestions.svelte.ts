import type { SuggestionEvent } from '../../../shared/events.js';
import type { ModeratorFlag } from '../../../shared/flags.js';
import type { ConfirmSuggestionInput, Suggestion } from '../../../shared/suggestions.js';
import type { ModeratorSocket } from './moderator-flags.svelte.js';
import { queueOrder } from '../lib/suggestion-text.js';
import { moderatorRequest } from './session.svelte.js';

/**
 * The suggestions of a pot awaiting a moderator's decision, kept live over the moderators'
 * channel. Confirming makes a flag (a draft, its note the evidence); dismissing is remembered
 * by the server, which does not raise the same stretch again.
 */
export class ModeratorSuggestions {
  /** Pending suggestions, oldest first; replaced as a whole on every change. */
  list = $state<Suggestion[]>([]);
  private listening = new WeakSet<ModeratorSocket>();

  constructor(readonly potId: string) {}

  /** Called each time the channel (re)subscribes to the pot. */
  follow(socket: ModeratorSocket): void {
    if (!this.listening.has(socket)) {
      this.listening.add(socket);
      socket.on('suggestion', (event) => this.apply(event));
    }
    void this.reload();
  }

  async confirm(id: number, input: ConfirmSuggestionInput = {}): Promise<ModeratorFlag> {
    const { flag } = await moderatorRequest<{ flag: ModeratorFlag }>('POST', `/api/suggestions/${id}/confirm`, input);
    this.drop(id);
    return flag;
  }

  async dismiss(id: number): Promise<void> {
    await moderatorRequest('POST', `/api/suggestions/${id}/dismiss`, {});
    this.drop(id);
  }

  apply(event: SuggestionEvent): void {
    if (event.potId !== this.potId) return;
    if (event.removed || event.suggestion.status !== 'pending') {
      this.drop(event.suggestion.id);
      return;
    }
    const suggestion = event.suggestion;
    this.list = [...this.list.filter((item) => item.id !== suggestion.id), suggestion].sort(queueOrder);
  }

  private drop(id: number): void {
    this.list = this.list.filter((item) => item.id !== id);
  }

  private async reload(): Promise<void> {
    try {
      const path = `/api/pots/${encodeURIComponent(this.potId)}/suggestions`;
      this.list = (await moderatorRequest<{ suggestions: Suggestion[] }>('GET', path)).suggestions.sort(queueOrder);
    } catch {
      // Kept as it was; the next reconnection loads it again.
    }
  }
}
