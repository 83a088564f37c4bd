import type { SessionUser } from '../../shared/accounts.js';
import type { AuditLog } from '../db/audit-log.js';
import type { QuarantinedReading } from '../db/quarantine-repository.js';
import type { Ingest } from './ingest.js';

/** A decision on a held reading that cannot be taken, with the HTTP status and the field at fault. */
export class HeldReadingRefused extends Error {
  constructor(
    readonly status: 403 | 409,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

/**
 * An admin's decision on a reading the guard held: released into the public series (with the
 * held readings before it) or discarded, with the reason, in the audit trail of the pot.
 */
export class HeldReadingsService {
  constructor(
    private readonly ingest: Ingest,
    private readonly audit: AuditLog,
  ) {}

  decide(actor: SessionUser, potId: string, readingId: number, decision: 'release' | 'discard', reason: string): QuarantinedReading {
    if (actor.role !== 'admin') throw new HeldReadingRefused(403, 'forbidden', 'this needs the admin role');
    const reading = this.ingest.resolveHeldByHand(potId, readingId, decision, (held) =>
      this.audit.record({
        actor: actor.name,
        action: decision === 'release' ? 'reading.release' : 'reading.discard',
        potId,
        target: `quarantine:${held.id}`,
        before: { at: held.at, amountMinor: held.amountMinor, contributors: held.contributors, reason: held.reason },
        after: { reason },
      }),
    );
    if (!reading) throw new HeldReadingRefused(409, 'not_held', `reading ${readingId} of pot "${potId}" is not held (any more)`, 'qid');
    return reading;
  }
}
