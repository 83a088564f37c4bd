import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../server/db/database.js';
import { PotsRepository } from '../../server/db/pots-repository.js';
import { ReadingsRepository } from '../../server/db/readings-repository.js';
import { Ingest } from '../../server/ingest/ingest.js';
import { webhookPot } from '../helpers/server.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const NORMAL = 1;
const T0 = Date.UTC(2019, 0, 9);

describe('durable acknowledgements', () => {
  let temp: ReturnType<typeof makeTempDir> | undefined;
  let db: Database | undefined;

  afterEach(() => {
    db?.close();
    temp?.remove();
  });

  function open(): { db: Database; ingest: Ingest } {
    temp = makeTempDir();
    db = openDatabase(path.join(temp.dir, 'potwatch.db'));
    const pot = webhookPot('alpha');
    new PotsRepository(db).syncFilePots([pot]);
    return { db, ingest: new Ingest(db, new ReadingsRepository(db), [pot]) };
  }

  it('syncs a durable batch and leaves the connection at synchronous=NORMAL for the other writers', () => {
    const { db, ingest } = open();
    expect(db.pragma('synchronous', { simple: true })).toBe(NORMAL);
    expect(ingest.submit('alpha', { readings: [{ at: T0, amountMinor: 1, contributors: 1 }], durable: true }).accepted).toBe(1);
    expect(db.pragma('synchronous', { simple: true })).toBe(NORMAL);
    expect(ingest.submit('alpha', { readings: [{ at: T0 + 1, amountMinor: 2, contributors: 2 }] }).accepted).toBe(1);
    expect(db.pragma('synchronous', { simple: true })).toBe(NORMAL);
  });

  it('restores synchronous=NORMAL when a durable write fails', () => {
    const { db, ingest } = open();
    db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true }) as number}`);
    const many = Array.from({ length: 5000 }, (_, i) => ({ at: T0 + i, amountMinor: i, contributors: i }));
    expect(() => ingest.submit('alpha', { readings: many, durable: true })).toThrow(/full/);
    expect(db.pragma('synchronous', { simple: true })).toBe(NORMAL);
    expect(new ReadingsRepository(db).count('alpha')).toBe(0);
  });
});
