import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signBody, SIGNATURE_HEADER } from '../../server/ingest/webhook.js';
import { postReadings, startTestServer, webhookPot, WEBHOOK_SECRET, type TestServer } from '../helpers/server.js';

const T0 = Date.UTC(2019, 0, 9, 22, 0);
const MINUTE = 60_000;
const SIGNATURE = SIGNATURE_HEADER;

const ok = { at: T0, amount: 10, contributors: 1 };
const withContribution = (contribution: Record<string, unknown>) => ({ ...ok, contributions: [contribution] });

interface Delivery {
  body: string | Buffer;
  /** The signature header to send; signed correctly with the pot's secret by default. */
  signature?: string | null;
  pot?: string;
}

async function deliver(server: TestServer, delivery: Delivery): Promise<{ status: number; json: any }> {
  const body = delivery.body;
  const signature = delivery.signature === undefined ? signBody(body, WEBHOOK_SECRET) : delivery.signature;
  const response = await fetch(`${server.url}/api/pots/${delivery.pot ?? 'alpha'}/readings`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(signature === null ? {} : { [SIGNATURE]: signature }) },
    body: typeof body === 'string' ? body : new Uint8Array(body),
  });
  return { status: response.status, json: await response.json().catch(() => null) };
}

const json = (value: unknown) => JSON.stringify(value);
const goodSignature = signBody(json(ok), WEBHOOK_SECRET);

/** [what, delivery, expected status, expected field] */
const MALFORMED: Array<[string, Delivery, number, string]> = [
  ['no signature header', { body: json(ok), signature: null }, 401, SIGNATURE],
  ['a signature made with another secret', { body: json(ok), signature: signBody(json(ok), 'another-secret-0123456789') }, 401, SIGNATURE],
  ['the signature of another body', { body: json({ ...ok, amount: 11 }), signature: goodSignature }, 401, SIGNATURE],
  ['a sha1= signature', { body: json(ok), signature: goodSignature.replace('sha256=', 'sha1=') }, 401, SIGNATURE],
  ['a truncated signature', { body: json(ok), signature: goodSignature.slice(0, -2) }, 401, SIGNATURE],
  ['a signature that is not hex', { body: json(ok), signature: `sha256=${'z'.repeat(64)}` }, 401, SIGNATURE],
  ['an unknown pot', { body: json(ok), pot: 'nope' }, 404, 'id'],
  ['a body over 1 MiB', { body: json({ ...ok, padding: 'x'.repeat(1024 * 1024) }) }, 413, 'body'],
  ['truncated JSON', { body: '{"at": 1, "amount": 1' }, 400, 'body'],
  ['an empty body', { body: '' }, 400, 'body'],
  ['invalid UTF-8', { body: Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]) }, 400, 'body'],
  ['a JSON string', { body: json('reading') }, 400, 'body'],
  ['a JSON number', { body: '42' }, 400, 'body'],
  ['null', { body: 'null' }, 400, 'body'],
  ['an empty batch', { body: '[]' }, 400, 'body'],
  ['a batch of 1,001', { body: json(Array.from({ length: 1001 }, (_, i) => ({ ...ok, at: T0 + i }))) }, 400, 'body'],
  ['no amount', { body: json({ at: T0, contributors: 1 }) }, 400, 'amount'],
  ['no contributors', { body: json({ at: T0, amount: 1 }) }, 400, 'contributors'],
  ['a negative amount', { body: json({ ...ok, amount: -1 }) }, 400, 'amount'],
  ['a negative amount string', { body: json({ ...ok, amount: '-5.00' }) }, 400, 'amount'],
  ['an exponent string', { body: json({ ...ok, amount: '1e5' }) }, 400, 'amount'],
  ['three decimals for EUR', { body: json({ ...ok, amount: '12.345' }) }, 400, 'amount'],
  ['"NaN"', { body: json({ ...ok, amount: 'NaN' }) }, 400, 'amount'],
  ['an infinite amount (1e400)', { body: `{"at": ${T0}, "amount": 1e400, "contributors": 1}` }, 400, 'amount'],
  ['an amount beyond MAX_SAFE_INTEGER minor units', { body: json({ ...ok, amount: '90071992547409.93' }) }, 400, 'amount'],
  ['a boolean amount', { body: json({ ...ok, amount: true }) }, 400, 'amount'],
  ['a null amount', { body: json({ ...ok, amount: null }) }, 400, 'amount'],
  ['an amount with a thousands separator', { body: json({ ...ok, amount: '1,400.50' }) }, 400, 'amount'],
  ['fractional contributors', { body: json({ ...ok, contributors: 1.5 }) }, 400, 'contributors'],
  ['negative contributors', { body: json({ ...ok, contributors: -1 }) }, 400, 'contributors'],
  ['contributors as text', { body: json({ ...ok, contributors: '12' }) }, 400, 'contributors'],
  ['contributors beyond MAX_SAFE_INTEGER', { body: json({ ...ok, contributors: 2 ** 53 }) }, 400, 'contributors'],
  ['an unreadable date', { body: json({ ...ok, at: 'yesterday' }) }, 400, 'at'],
  ['a local time without offset', { body: json({ ...ok, at: '2019-01-10T02:14:00' }) }, 400, 'at'],
  ['a date in the future', { body: json({ ...ok, at: '2099-01-01T00:00:00Z' }) }, 400, 'at'],
  ['negative epoch ms', { body: json({ ...ok, at: -1 }) }, 400, 'at'],
  ['fractional epoch ms', { body: json({ ...ok, at: 1.5 }) }, 400, 'at'],
  ['a bad reading deep in a batch', { body: json([ok, { ...ok, at: T0 + 1, contributors: 'x' }]) }, 400, '[1].contributors'],
  ['a bad last reading of 1,000', { body: json(Array.from({ length: 1000 }, (_, i) => ({ ...ok, at: T0 + i, amount: i === 999 ? -1 : i }))) }, 400, '[999].amount'],
  ['contributions that are not a list', { body: json({ ...ok, contributions: {} }) }, 400, 'contributions'],
  ['a contribution without id', { body: json(withContribution({ name: 'Marie' })) }, 400, 'contributions[0].id'],
  ['a negative contribution', { body: json(withContribution({ id: 'c-1', amount: -10 })) }, 400, 'contributions[0].amount'],
  ['a contribution name of 201 characters', { body: json(withContribution({ id: 'c-1', name: 'n'.repeat(201) })) }, 400, 'contributions[0].name'],
  ['a contribution with a bad date', { body: json(withContribution({ id: 'c-1', at: 'soon' })) }, 400, 'contributions[0].at'],
  ['a __proto__ instead of the figures', { body: '{"__proto__": {"amount": 1, "contributors": 1}, "at": 1}' }, 400, 'amount'],
];

describe('webhook ingest: real signed requests', () => {
  let server: TestServer;
  let reader: BetterSqlite3.Database;
  const count = (table: string) => (reader.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;

  beforeAll(async () => {
    server = await startTestServer({ pots: [webhookPot('alpha')] });
    // A second connection sees only committed data: what it sees has been acknowledged safely.
    reader = new BetterSqlite3(server.databasePath, { readonly: true });
  });

  afterAll(async () => {
    reader.close();
    await server.dispose();
  });

  it(`rejects each of ${MALFORMED.length} malformed deliveries with its status and field, storing nothing`, async () => {
    expect(MALFORMED.length).toBeGreaterThanOrEqual(30);
    for (const [what, delivery, status, field] of MALFORMED) {
      const answer = await deliver(server, delivery);
      expect({ what, status: answer.status, field: answer.json?.error?.field }).toEqual({ what, status, field });
      expect(answer.json.error.message, what).toEqual(expect.any(String));
      expect(answer.json.error.code, what).toEqual(expect.any(String));
    }
    expect(count('readings')).toBe(0);
    expect(count('contributions')).toBe(0);
    expect(count('quarantined_readings')).toBe(0);
    expect((await (await fetch(`${server.url}/api/pots/alpha/series`)).json()).points).toEqual([]);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    expect(await postReadings(server.url, 'alpha', ok)).toEqual({ status: 200, json: { accepted: 1, duplicates: 0 } });
  });

  it('answers only once committed, and a repeated delivery is harmless', async () => {
    const batch = Array.from({ length: 1000 }, (_, i) => ({
      at: new Date(T0 + (i + 1) * MINUTE).toISOString(),
      amount: `${100 + i}.50`,
      contributors: 10 + i,
      contributions: [{ id: `gift-${i}`, amount: 1, name: 'Marie', message: 'Courage' }],
    }));
    expect(await postReadings(server.url, 'alpha', batch)).toEqual({ status: 200, json: { accepted: 1000, duplicates: 0 } });
    const stored = reader
      .prepare(`SELECT count(*) AS n, max(amount_minor) AS top FROM readings WHERE pot_id = 'alpha' AND at > ?`)
      .get(T0) as { n: number; top: number };
    expect(stored).toEqual({ n: 1000, top: 109950 });
    expect(count('contributions')).toBe(1000);

    expect(await postReadings(server.url, 'alpha', batch)).toEqual({ status: 200, json: { accepted: 0, duplicates: 1000 } });
    const sameGiftAgain = { ...batch[999]!, at: T0 + 2000 * MINUTE, amount: 1100, contributors: 1010 };
    expect(await postReadings(server.url, 'alpha', sameGiftAgain)).toEqual({ status: 200, json: { accepted: 1, duplicates: 0 } });
    expect(count('contributions')).toBe(1000);
    expect(count('readings')).toBe(1002);
  });

  it('accepts an upper-case hex signature and a body sent without a content type', async () => {
    const body = json({ at: T0 + 3000 * MINUTE, amount: 1200, contributors: 1100 });
    const response = await fetch(`${server.url}/api/pots/alpha/readings`, {
      method: 'POST',
      headers: { [SIGNATURE]: signBody(body, WEBHOOK_SECRET).replace(/[a-f]/g, (c) => c.toUpperCase()).replace('SHA256', 'sha256') },
      body: new Blob([body]),
    });
    expect(response.status).toBe(200);
  });
});
