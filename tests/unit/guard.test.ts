import { describe, expect, it } from 'vitest';
import {
  describeIssue,
  guardPolicy,
  judgeLateReading,
  judgeReading,
  type GuardView,
} from '../../server/ingest/guard.js';
import type { Reading } from '../../shared/types.js';

const MINUTE = 60_000;
const T0 = Date.UTC(2019, 0, 10, 8, 0);
const policy = guardPolicy('EUR');

const reading = (minute: number, euros: number, contributors: number): Reading => ({
  at: T0 + minute * MINUTE,
  amountMinor: Math.round(euros * 100),
  contributors,
});

/** A pot at 1,000,000.00 EUR rising 200 EUR and 10 people a minute over the last hour. */
const history = Array.from({ length: 61 }, (_, minute) => reading(minute, 988_000 + minute * 200, 40_000 + minute * 10));
const tail = history[60]!;
const view = (held: Reading[] = []): GuardView => ({ tail, held, paceBase: () => history[0] });

describe('guard: what enters the public series', () => {
  it.each([
    ['a normal rise', reading(61, 1_000_200, 40_610)],
    ['an unchanged total', reading(61, 1_000_000, 40_600)],
    ['a rise far beyond the pace but within half the total', reading(61, 1_400_000, 40_600)],
    ['a burst of people well within the pace over five minutes', reading(61, 1_000_100, 41_000)],
  ])('accepts %s', (_what, next) => {
    expect(judgeReading(view(), next, policy)).toEqual({ action: 'accept', discardHeld: false });
  });

  it.each([
    ['the amount going down', reading(61, 14_000.5, 40_610), { code: 'decrease', figure: 'amount', from: 100_000_000, to: 1_400_050 }],
    ['the contributors going down', reading(61, 1_000_100, 4_061), { code: 'decrease', figure: 'contributors', from: 40_600, to: 4_061 }],
    ['a hundredfold amount (a lost decimal separator)', reading(61, 100_000_000, 40_610), { code: 'jump', figure: 'amount' }],
    ['a tenfold count of people', reading(61, 1_000_200, 406_000), { code: 'jump', figure: 'contributors' }],
  ])('holds %s', (_what, next, issue) => {
    expect(judgeReading(view(), next, policy)).toMatchObject({ action: 'hold', issue, discardHeld: false });
  });

  it('measures "implausible" against the pot\'s own recent pace', () => {
    const rise = reading(61, 1_600_000, 40_610);
    expect(judgeReading(view(), rise, policy).action).toBe('hold');
    // The same rise is no jump for a pot that rose 150,000 EUR over the last ten minutes.
    const busyBase = reading(50, 850_000, 40_500);
    expect(judgeReading({ ...view(), paceBase: () => busyBase }, rise, policy).action).toBe('accept');
  });

  it('lets a small pot take a big gift, but not a tenfold total', () => {
    const small = reading(0, 3_075, 122);
    const smallView: GuardView = { tail: small, held: [], paceBase: () => reading(-60, 1_600, 62) };
    expect(judgeReading(smallView, reading(10, 9_000, 400), policy).action).toBe('accept');
    expect(judgeReading(smallView, reading(10, 30_750, 123), policy).action).toBe('hold');
  });

  it('accepts anything as the first reading of a pot', () => {
    expect(judgeReading({ tail: undefined, held: [], paceBase: () => undefined }, reading(0, 5e9, 1), policy).action).toBe(
      'accept',
    );
  });

  it('confirms a held change only after enough agreeing readings over enough time', () => {
    const drop = [reading(61, 900_000, 40_610), reading(62, 900_100, 40_615), reading(62.5, 900_150, 40_617)];
    expect(judgeReading(view(drop.slice(0, 2)), drop[2]!, policy)).toMatchObject({ action: 'hold', discardHeld: false });
    const later = reading(63, 900_200, 40_620);
    expect(judgeReading(view(drop), later, policy)).toMatchObject({ action: 'confirm', issue: { code: 'decrease' } });
  });

  it('starts over when a held reading does not agree with the ones held before it', () => {
    const held = [reading(61, 900_000, 40_610)];
    expect(judgeReading(view(held), reading(62, 800_000, 40_620), policy)).toMatchObject({ action: 'hold', discardHeld: true });
  });

  it('drops held readings as outliers when the next reading agrees with the public series', () => {
    const held = [reading(61, 10_000_000, 40_610), reading(62, 10_000_100, 40_611)];
    expect(judgeReading(view(held), reading(63, 1_000_600, 40_630), policy)).toEqual({ action: 'accept', discardHeld: true });
  });

  it('lets a late reading in only between its neighbours', () => {
    const before = reading(10, 100, 10);
    const after = reading(12, 200, 20);
    expect(judgeLateReading(before, after, reading(11, 150, 15))).toBeUndefined();
    expect(judgeLateReading(undefined, after, reading(11, 150, 15))).toBeUndefined();
    expect(judgeLateReading(before, after, reading(11, 250, 15))).toMatchObject({ code: 'out_of_order', figure: 'amount' });
    expect(judgeLateReading(before, after, reading(11, 150, 5))).toMatchObject({ code: 'out_of_order', figure: 'contributors' });
  });

  it('says what it saw in plain words, with exact amounts', () => {
    expect(describeIssue({ code: 'decrease', figure: 'amount', from: 140000050, to: 1400050 }, 'EUR')).toBe(
      'amount went down from 1400000.50 EUR to 14000.50 EUR',
    );
    expect(describeIssue({ code: 'jump', figure: 'contributors', from: 50, to: 5000, limit: 60 }, 'EUR')).toBe(
      "contributors jumped from 50 to 5000, a rise of 4950 where the pot's recent pace allows 60",
    );
  });

  it('takes per-pot tuning', () => {
    expect(guardPolicy('JPY', { headroomAmount: 5000, confirmReadings: 5, confirmSeconds: 30 })).toMatchObject({
      headroomAmountMinor: 5000,
      confirmReadings: 5,
      confirmSpanMs: 30_000,
    });
  });
});
