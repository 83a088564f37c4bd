import { describe, expect, it } from 'vitest';
import { parsePots, PotsFileError } from '../../server/config/pots-file.js';
import { parseWebhookBody } from '../../server/ingest/webhook.js';
import { seriesQuerySchema, subscribePayloadSchema } from '../../shared/schemas.js';
import { parseInstant } from '../../shared/time.js';

const NOW = Date.UTC(2026, 10, 25, 12, 0);

describe('webhook bodies', () => {
  it('accepts one reading with ISO time and decimal-string amount', () => {
    expect(parseWebhookBody({ at: '2019-01-10T02:14:00Z', amount: '812345.50', contributors: 31877 }, 'EUR', NOW)).toMatchObject({
      ok: true,
      batch: { readings: [{ at: Date.UTC(2019, 0, 10, 2, 14), amountMinor: 81234550, contributors: 31877 }], contributions: [] },
    });
  });

  it('dates a reading without `at` now, and contributions without `at` like their reading', () => {
    const parsed = parseWebhookBody({ amount: 1, contributors: 1, contributions: [{ id: 'c-1', name: 'Marie' }] }, 'EUR', NOW);
    expect(parsed).toMatchObject({
      ok: true,
      batch: {
        readings: [{ at: NOW, amountMinor: 100, contributors: 1 }],
        contributions: [{ id: 'c-1', at: NOW, name: 'Marie' }],
      },
    });
  });

  it.each([
    [{ amount: 1 }, 'contributors'],
    [{ amount: -1, contributors: 1 }, 'amount'],
    [{ amount: 1, contributors: 1.5 }, 'contributors'],
    [{ amount: 1, contributors: -3 }, 'contributors'],
    [{ amount: 'lots', contributors: 1 }, 'amount'],
    [{ at: '10/01/2019', amount: 1, contributors: 1 }, 'at'],
    [{ at: '2019-01-10T02:14:00', amount: 1, contributors: 1 }, 'at'],
    [{ at: '2099-01-01T00:00:00Z', amount: 1, contributors: 1 }, 'at'],
    [[{ amount: 1, contributors: 1 }, { amount: 1, contributors: 'x' }], '[1].contributors'],
    [{ amount: 1, contributors: 1, contributions: [{ name: 'no id' }] }, 'contributions[0].id'],
    [[], 'body'],
  ])('rejects %j naming %s', (body, field) => {
    const parsed = parseWebhookBody(body, 'EUR', NOW);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.field).toBe(field);
  });

  it('rejects more than 1,000 readings', () => {
    const body = Array.from({ length: 1001 }, (_, i) => ({ at: i, amount: 1, contributors: 1 }));
    expect(parseWebhookBody(body, 'EUR', NOW).ok).toBe(false);
  });
});

describe('instants', () => {
  it.each([
    ['2019-01-10T02:14:00Z', Date.UTC(2019, 0, 10, 2, 14)],
    ['2019-01-10T03:14:00+01:00', Date.UTC(2019, 0, 10, 2, 14)],
    ['2019-01-10', Date.UTC(2019, 0, 10)],
    [1547086440000, 1547086440000],
    ['1547086440000', 1547086440000],
  ])('%s', (input, at) => {
    expect(parseInstant(input)).toEqual({ ok: true, at });
  });

  it.each([['yesterday'], [1.5], [-1], ['2019-13-45T00:00:00Z'], [null], [{}]])('rejects %j', (input) => {
    expect(parseInstant(input).ok).toBe(false);
  });
});

describe('query and socket payloads', () => {
  it('parses series queries and names the bad field', () => {
    expect(seriesQuerySchema.parse({ from: '1000', points: '300' })).toEqual({ from: 1000, points: 300 });
    expect(seriesQuerySchema.safeParse({ points: '1' }).error?.issues[0]?.path).toEqual(['points']);
    expect(seriesQuerySchema.safeParse({ points: '99999' }).success).toBe(false);
    expect(seriesQuerySchema.safeParse({ from: ['1', '2'] }).error?.issues[0]?.path).toEqual(['from']);
  });

  it('accepts only well-formed pot ids', () => {
    expect(subscribePayloadSchema.safeParse({ potId: 'police-2019' }).success).toBe(true);
    for (const potId of ['', '-x', 'A', 'a'.repeat(65), '../etc', 'a b']) {
      expect(subscribePayloadSchema.safeParse({ potId }).success).toBe(false);
    }
  });
});

describe('pots file', () => {
  const valid = {
    pots: [
      { id: 'police-2019', title: 'Soutien', currency: 'EUR', goal: 1000000, source: { kind: 'webhook', secret: '${SECRET}' } },
      { id: 'demo', title: 'Demo', source: { kind: 'replay', scenario: 'police-2019' } },
    ],
  };

  it('reads secrets from the environment and fills in defaults', () => {
    const pots = parsePots(valid, { SECRET: 'a-very-long-secret-value' });
    expect(pots[0]).toMatchObject({ goalMinor: 100000000, source: { secret: 'a-very-long-secret-value', staleAfterSeconds: 900 } });
    expect(pots[1]).toMatchObject({ currency: 'EUR', source: { speed: 600, loop: true } });
  });

  it.each([
    [{ SECRET: undefined }, valid, /pot "police-2019" \(pots\[0\]\), field source\.secret: uses \$\{SECRET\}, which is not set/],
    [{ SECRET: 'short' }, valid, /pot "police-2019" \(pots\[0\]\), field source\.secret: must be at least 16 characters/],
    [{}, { pots: [{ id: 'Bad', title: 't', source: { kind: 'webhook', secret: 'x'.repeat(20) } }] }, /pot "Bad" \(pots\[0\]\), field id/],
    [{}, { pots: [{ id: 'a', title: 't', currency: 'EURO', source: { kind: 'webhook', secret: 'x'.repeat(20) } }] }, /pot "a" \(pots\[0\]\), field currency/],
    [{}, { pots: [{ id: 'a', title: 't', source: { kind: 'ftp' } }] }, /pot "a" \(pots\[0\]\), field source\.kind/],
    [{}, { pots: [{ id: 'a', title: 't', source: { kind: 'http-json', url: 'file:///etc/passwd', amount: '/a', contributors: '/b' } }] }, /field source\.url/],
    [{}, { pots: [{ id: 'a', title: 't', source: { kind: 'replay', scenario: 'police-2019' } }, { id: 'a', title: 'u', source: { kind: 'replay', scenario: 'police-2019' } }] }, /pot "a" \(pots\[1\]\), field id: "a" is used twice/],
    [{}, { pot: [] }, /field pots/],
  ])('names the pot and field: %#', (env, raw, message) => {
    expect(() => parsePots(raw, env as NodeJS.ProcessEnv, 'potwatch.config.json')).toThrow(PotsFileError);
    expect(() => parsePots(raw, env as NodeJS.ProcessEnv, 'potwatch.config.json')).toThrow(message);
  });
});
