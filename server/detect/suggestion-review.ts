import type { ModeratorFlag } from '../../shared/flags.js';
import type { SuggestionEvent } from '../../shared/events.js';
import { FLAG_REASON_OF_KIND, type ConfirmSuggestionInput, type Suggestion } from '../../shared/suggestions.js';
import type { AuditLog } from '../db/audit-log.js';
import type { Database } from '../db/database.js';
import type { SuggestionsRepository } from '../db/suggestions-repository.js';
import { transaction } from '../db/transaction.js';
import type { Actor, FlagService } from '../moderation/flag-service.js';

/** Why a decision could not be made. */
export class SuggestionDecisionError extends Error {
  constructor(
    readonly code: 'suggestion_not_found' | 'suggestion_decided',
    message: string,
  ) {
    super(message);
  }
}

/**
 * A moderator's decision on a suggestion: confirming turns it into a flag (a draft unless
 * asked otherwise, its note the evidence), dismissing remembers it so that the same stretch
 * is not raised again. Both are in the audit trail.
 */
export class SuggestionReview {
  constructor(
    private readonly db: Database,
    private readonly suggestions: SuggestionsRepository,
    private readonly flags: FlagService,
    private readonly audit: AuditLog,
    private readonly onChange: (event: SuggestionEvent) => void = () => {},
  ) {}

  confirm(actor: Actor, id: number, input: ConfirmSuggestionInput): { suggestion: Suggestion; flag: ModeratorFlag } {
    const result = transaction(this.db, () => {
      const before = this.pending(id);
      const flag = this.flags.create(
        actor,
        before.potId,
        {
          from: before.from,
          to: before.to,
          reason: input.reason ?? FLAG_REASON_OF_KIND[before.kind],
          note: input.note ?? before.evidence.summary,
          published: input.published ?? false,
        },
        `suggestion:${id}`,
      );
      this.suggestions.decide(id, 'confirmed', actor.name, flag.id);
      const suggestion = this.suggestions.get(id)!;
      this.record(actor, 'suggestion.confirm', before, suggestion);
      return { suggestion, flag };
    });
    this.onChange({ potId: result.suggestion.potId, suggestion: result.suggestion });
    return result;
  }

  dismiss(actor: Actor, id: number, note?: string): Suggestion {
    const suggestion = transaction(this.db, () => {
      const before = this.pending(id);
      this.suggestions.decide(id, 'dismissed', actor.name);
      const after = this.suggestions.get(id)!;
      this.record(actor, 'suggestion.dismiss', before, note ? { ...after, note } : after);
      return after;
    });
    this.onChange({ potId: suggestion.potId, suggestion });
    return suggestion;
  }

  private pending(id: number): Suggestion {
    const suggestion = this.suggestions.get(id);
    if (!suggestion) throw new SuggestionDecisionError('suggestion_not_found', `there is no suggestion ${id}`);
    if (suggestion.status !== 'pending') {
      throw new SuggestionDecisionError('suggestion_decided', `suggestion ${id} was already ${suggestion.status}`);
    }
    return suggestion;
  }

  private record(actor: Actor, action: string, before: Suggestion, after: unknown): void {
    this.audit.record({ actor: actor.name, action, potId: before.potId, target: `suggestion:${before.id}`, before, after });
  }
}
