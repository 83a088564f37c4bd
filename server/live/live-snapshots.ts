import { createHash } from 'node:crypto';
import type { LiveSnapshot } from '../../shared/types.js';
import type { PotStates } from './pot-states.js';

export interface EncodedSnapshot {
  /** Strong, and the same in every process and after a restart for the same state. */
  etag: string;
  json: string;
}

interface Kept extends EncodedSnapshot {
  /** What the snapshot was made of, compared on each request instead of building it again. */
  made: string;
}

/**
 * The live snapshot of each pot, built once per change of its latest reading or status and
 * answered from memory in between: a poll costs neither a query nor an encode.
 */
export class LiveSnapshots {
  private readonly kept = new Map<string, Kept>();

  constructor(private readonly states: PotStates) {}

  get(potId: string): EncodedSnapshot {
    const latest = this.states.latest(potId);
    const info = this.states.statusInfo(potId);
    const made = `${latest?.at}|${latest?.amountMinor}|${latest?.contributors}|${info.status}|${info.reason ?? ''}`;
    const kept = this.kept.get(potId);
    if (kept?.made === made) return kept;
    const snapshot: LiveSnapshot = { potId, latest: latest ?? null, ...info };
    const etag = `"${latest ? `${latest.at.toString(36)}-${latest.amountMinor.toString(36)}-${latest.contributors.toString(36)}` : 'none'}-${info.status}${
      info.reason ? `-${createHash('sha1').update(info.reason).digest('base64url').slice(0, 10)}` : ''
    }"`;
    const fresh: Kept = { made, etag, json: JSON.stringify(snapshot) };
    this.kept.set(potId, fresh);
    return fresh;
  }
}
