import BetterSqlite3 from 'better-sqlite3';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseWebhookBody, signBody, SIGNATURE_HEADER } from '../../server/ingest/webhook.js';
import { startTestServer, webhookPot, WEBHOOK_SECRET, type TestServer } from '../helpers/server.js';
import { propertyRuns, recordFigures, soakTimeout } from '../helpers/soak.js';
import { expectPrototypesUntouched, nastyJson, nastyNumber, nastyString, POLLUTING_BODIES } from './hostile.js';

const NOW = Date.UTC(2019, 0, 11, 9);
const DAY = 24 * 3600_000;

/** A reading whose every field may be right, wrong in type, out of range or hostile. */
const nearReading = fc.record(
  {
    at: fc.oneof(fc.integer({ min: NOW - 30 * DAY, max: NOW }), fc.date({ noInvalidDate: true }).map((date) => date.toISOString()), nastyNumber, nastyString),
    amount: fc.oneof(
      fc.integer({ min: 0, max: 10 ** 9 }).map((cents) => `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`),
      fc.integer({ min: 0, max: 10 ** 9 }),
      nastyNumber,
      nastyString,
    ),
    contributors: fc.oneof(fc.integer({ min: 0, max: 10 ** 6 }), nastyNumber, nastyString),
    contributions: fc.array(
      fc.record({ id: nastyString, name: nastyString, message: nastyString, amount: fc.oneof(nastyNumber, nastyString) }, { requiredKeys: ['id'] }),
      { maxLength: 3 },
    ),
  },
  { requiredKeys: [] },
);

const body = fc.oneof(nearReading, fc.array(nearReading, { maxLength: 6 }), nastyJson);

describe('webhook bodies: properties', () => {
  it('parsing never throws; what it accepts is exact, whole, non-negative and not in the future', () => {
    const runs = propertyRuns(1000);
    fc.assert(
      fc.property(body, (value) => {
        const parsed = parseWebhookBody(value, 'EUR', NOW);
        if (!parsed.ok) {
          expect(parsed.field).toEqual(expect.any(String));
          expect(parsed.message).toEqual(expect.any(String));
          return;
        }
        for (const reading of parsed.batch.readings) {
          for (const figure of [reading.at, reading.amountMinor, reading.contributors]) {
            expect(Number.isSafeInteger(figure) && figure >= 0).toBe(true);
          }
          expect(reading.at).toBeLessThanOrEqual(NOW + 5 * 60_000);
        }
      }),
      { numRuns: runs },
    );
    expectPrototypesUntouched();
    recordFigures('property', { name: 'webhook body parser', runs });
  });

  it('reads a decimal amount to the exact minor unit, however large', () => {
    const runs = propertyRuns(500);
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: BigInt(Number.MAX_SAFE_INTEGER) + 1000n }), (minor) => {
        const text = `${minor / 100n}.${String(minor % 100n).padStart(2, '0')}`;
        const parsed = parseWebhookBody({ at: NOW, amount: text, contributors: 1 }, 'EUR', NOW);
        if (minor > BigInt(Number.MAX_SAFE_INTEGER)) {
          expect(parsed).toMatchObject({ ok: false, field: 'amount' });
        } else {
          expect(parsed.ok && parsed.batch.readings[0]!.amountMinor).toBe(Number(minor));
        }
      }),
      { numRuns: runs },
    );
    recordFigures('property', { name: 'webhook decimal amounts', runs });
  });
});

describe('webhook bodies over HTTP: never a 500, never a partial write', () => {
  let server: TestServer;
  let reader: BetterSqlite3.Database;
  const counts = () =>
    reader.prepare(`SELECT (SELECT count(*) FROM readings) AS readings, (SELECT count(*) FROM contributions) AS contributions`).get() as {
      readings: number;
      contributions: number;
    };

  beforeAll(async () => {
    server = await startTestServer({ pots: [webhookPot('alpha')] });
    reader = new BetterSqlite3(server.databasePath, { readonly: true });
  });
  afterAll(async () => {
    reader.close();
    await server.dispose();
  });

  async function deliver(raw: string | Uint8Array): Promise<{ status: number; json: any }> {
    const bytes = typeof raw === 'string' ? Buffer.from(raw) : Buffer.from(raw);
    const response = await fetch(`${server.url}/api/pots/alpha/readings`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: signBody(bytes, WEBHOOK_SECRET) },
      body: new Uint8Array(bytes),
    });
    const text = await response.text();
    return { status: response.status, json: JSON.parse(text) };
  }

  it(
    'answers 200 or a 4xx naming the field for any signed body; a refused body changes nothing',
    async () => {
      const runs = propertyRuns(150);
      let accepted = 0;
      let clock = NOW - 20 * DAY;
      const payload = fc.oneof(
        { weight: 4, arbitrary: body.map((value) => JSON.stringify(value) ?? 'null') },
        { weight: 1, arbitrary: fc.uint8Array({ maxLength: 64 }) },
        { weight: 1, arbitrary: fc.constantFrom(...POLLUTING_BODIES) },
      );
      await fc.assert(
        fc.asyncProperty(payload, async (raw) => {
          // Valid readings get fresh instants, so that the guard and dedupe do not hide a write.
          const text = typeof raw === 'string' ? raw.replace(/"at":\d{13}/g, () => `"at":${(clock += 60_000)}`) : raw;
          const before = counts();
          const answer = await deliver(text);
          expect([200, 400, 413]).toContain(answer.status);
          if (answer.status === 200) {
            accepted++;
            expect(answer.json).toEqual(expect.objectContaining({ accepted: expect.any(Number), duplicates: expect.any(Number) }));
          } else {
            expect(answer.json.error).toEqual(expect.objectContaining({ code: expect.any(String), message: expect.any(String), field: expect.any(String) }));
            expect(counts()).toEqual(before);
          }
        }),
        { numRuns: runs },
      );
      expectPrototypesUntouched();
      expect(accepted).toBeGreaterThan(0);
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
      recordFigures('property', { name: 'webhook bodies over HTTP', runs, accepted });
    },
    soakTimeout(60_000),
  );

  it('stores one bad reading in a batch of good ones as nothing at all', async () => {
    const runs = propertyRuns(30);
    let next = NOW - 10 * DAY;
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 2, max: 40 }), fc.nat(), nastyString, async (size, where, bad) => {
        const start = next;
        next += size * 60_000;
        const batch: Record<string, unknown>[] = Array.from({ length: size }, (_, i) => ({
          at: start + i * 60_000,
          amount: 1000 + i,
          contributors: 100 + i,
          contributions: [{ id: `gift-${start}-${i}`, name: "O'Brien; DROP TABLE contributions" }],
        }));
        batch[where % size]!.contributors = bad;
        const before = counts();
        const answer = await deliver(JSON.stringify(batch));
        expect(answer.status).toBe(400);
        expect(answer.json.error.field).toBe(`[${where % size}].contributors`);
        expect(counts()).toEqual(before);
      }),
      { numRuns: runs },
    );
    recordFigures('property', { name: 'webhook batches with one bad reading', runs });
  });

  it('keeps SQL and markup in contributor names and messages as plain text, byte for byte', async () => {
    const runs = propertyRuns(40);
    let next = NOW - 5 * DAY;
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 200 }), nastyString, async (name, message) => {
        next += 60_000;
        const id = `gift-${next}`;
        const contribution = { id, name, message: message.slice(0, 2000) };
        const answer = await deliver(JSON.stringify({ at: next, amount: 1, contributors: 1, contributions: [contribution] }));
        if (answer.status !== 200) {
          expect(answer.status).toBe(400);
          return;
        }
        const stored = reader.prepare('SELECT name, message, hex(name) AS nameBytes, hex(message) AS messageBytes FROM contributions WHERE id = ?').get(id) as Record<string, string>;
        // A lone surrogate (JSON allows "\udfff") is kept as U+FFFD: the file holds valid UTF-8 only.
        expect({ name: stored.name, message: stored.message }).toEqual({ name: utf8(name), message: utf8(contribution.message) });
        for (const bytes of [stored.nameBytes!, stored.messageBytes!]) {
          expect(() => new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(bytes, 'hex'))).not.toThrow();
        }
      }),
      { numRuns: runs, examples: [['\ud83d cut emoji', '\udfff'], ["Robert'); DROP TABLE contributions;--", '<script>window.__pwned = 1</script>']] },
    );
    expect(reader.prepare(`SELECT count(*) AS n FROM sqlite_master WHERE name IN ('readings', 'contributions')`).get()).toEqual({ n: 2 });
    recordFigures('property', { name: 'contribution text stored verbatim', runs });
  });

  it('refuses 100,000 nested arrays or objects with a 400, and a polluting body without touching Object.prototype', async () => {
    expect((await deliver('['.repeat(100_000) + ']'.repeat(100_000))).status).toBe(400);
    expect((await deliver('{"a":'.repeat(100_000) + '1' + '}'.repeat(100_000))).status).toBe(400);
    expect((await deliver(`{"at":1,"amount":1,"contributors":1,"contributions":[${'['.repeat(100_000)}${']'.repeat(100_000)}]}`)).status).toBe(400);
    for (const polluting of POLLUTING_BODIES) await deliver(polluting);
    expectPrototypesUntouched();
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });
});

/** What a string becomes once sent as UTF-8: a lone surrogate turns into U+FFFD. */
const utf8 = (text: string) => Buffer.from(text, 'utf8').toString('utf8');
