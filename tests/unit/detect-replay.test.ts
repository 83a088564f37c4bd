import { beforeAll, describe, expect, it } from 'vitest';
import { detectHistory } from '../../server/detect/detect-history.js';
import { police2019Scenario } from '../../server/sources/scenarios/police-2019.js';
import type { DetectedInterval } from '../../shared/suggestions.js';
import type { Reading } from '../../shared/types.js';
import type { Contribution } from '../../server/db/readings-repository.js';

const MINUTE = 60_000;
const at = (day: number, hour: number, minute = 0) => Date.UTC(2019, 0, day, hour, minute);

describe('the built-in replay of the January 2019 police pot', () => {
  let readings: Reading[];
  let contributions: Contribution[];
  let suggestions: DetectedInterval[];

  beforeAll(() => {
    const { steps } = police2019Scenario();
    readings = steps.map((step) => step.reading);
    contributions = steps.flatMap((step) => step.contributions);
    suggestions = detectHistory(readings, contributions, { currency: 'EUR' });
  });

  const ofKind = (kind: DetectedInterval['kind']) => suggestions.filter((s) => s.kind === kind);

  it('suggests the near-linear night of 9 to 10 January, with its rate against the usual and its regularity', () => {
    const [night, ...others] = ofKind('too-regular');
    expect(others).toEqual([]);
    expect(Math.abs(night!.from - at(9, 23))).toBeLessThanOrEqual(15 * MINUTE);
    expect(Math.abs(night!.to - at(10, 5, 30))).toBeLessThanOrEqual(15 * MINUTE);
    expect(night!.score).toBeGreaterThanOrEqual(6);
    expect(night!.evidence.rateRatio).toBeGreaterThan(4);
    expect(night!.evidence.contributorsCv).toBeLessThan(night!.evidence.chanceCv as number);
    expect(night!.evidence.summary).toMatch(/^\+1,3\d\d contributors\/h from Wed 9 Jan, 2[23]:\d\d to Thu 10 Jan, 05:\d\d UTC, \d+(\.\d)?x this pot's usual/);
    expect(night!.evidence.summary).toContain('also what a queue processed at a fixed pace produces');
  });

  it('tells the same evidence in French, with French numbers and dates', () => {
    const [night] = ofKind('too-regular');
    expect(night!.evidence.summaryFr).toMatch(/^\+1\s3\d\d contributeurs\/h, mer\. 9 janv\., 2[23]:\d\d à jeu\. 10 janv\., 05:\d\d UTC, \d+(,\d)?\sfois l'habitude/);
    expect(night!.evidence.summaryFr).toContain("une file d'attente traitée à cadence fixe");
    expect(night!.evidence.summaryFr).toMatch(/environ 1 journée de cagnotte honnête sur [\d\s,^]+( \w+)? montrerait cela\.$/);
    const [freeze] = ofKind('freeze-catch-up');
    expect(freeze!.evidence.summaryFr).toMatch(/^Aucun changement sur \d+ relevés pendant 2 h \d+ min \(mer\. 9 janv\., 13:\d\d à 15:\d\d UTC\)/);
  });

  it('suggests the Wednesday backlog and its catch-up, labelled as a backlog', () => {
    const [backlog, ...others] = ofKind('freeze-catch-up');
    expect(others).toEqual([]);
    expect(Math.abs(backlog!.from - at(9, 13, 20))).toBeLessThanOrEqual(5 * MINUTE);
    expect(Math.abs(backlog!.to - at(9, 15, 46))).toBeLessThanOrEqual(5 * MINUTE);
    expect(backlog!.evidence.flatMinutes).toBeGreaterThanOrEqual(135);
    expect(backlog!.evidence.summary).toMatch(/^No change in 1\d\d readings over 2 h 2\d min/);
    expect(backlog!.evidence.summary).toContain('processing backlog being caught up');
    expect(backlog!.evidence.summary).not.toMatch(/fraud|bot/i);
  });

  it('sees the duplicated names and messages of that night, not the honest repeats', () => {
    const [duplicates, ...others] = ofKind('duplicate-names');
    expect(others).toEqual([]);
    expect(Math.abs(duplicates!.from - at(9, 23))).toBeLessThanOrEqual(15 * MINUTE);
    expect(Math.abs(duplicates!.to - at(10, 5, 30))).toBeLessThanOrEqual(15 * MINUTE);
    const texts = (duplicates!.evidence.repeatedTexts as Array<{ text: string }>).map((repeat) => repeat.text);
    const injected = ['Jean-Pierre M.', 'Patrick D.', 'Sylvie L.', 'Gérard B.', 'Michel R.', 'Nadine P.'];
    for (const text of texts) expect(injected.includes(text) || text.startsWith('Soutien indéfectible')).toBe(true);
    expect(duplicates!.evidence.summary).toContain('are not counted');
  });

  it('stays quiet everywhere else: media waves, evening peaks, quiet nights, the DDoS-protection gap', () => {
    expect(suggestions.map((s) => s.kind).sort()).toEqual(['duplicate-names', 'freeze-catch-up', 'too-regular']);
  });

  it('finds the same two intervals from the totals alone, as in a CSV file', () => {
    const fromTotals = detectHistory(readings);
    expect(fromTotals.map((s) => [s.kind, s.from, s.to])).toEqual(
      suggestions.filter((s) => s.kind !== 'duplicate-names').map((s) => [s.kind, s.from, s.to]),
    );
  });

  it('still finds them when the same history is polled irregularly, with jitter and gaps', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    const sparse: Reading[] = [];
    for (let i = 0; i < readings.length; i += 1 + Math.floor(random() * 5)) {
      const inGap = random() < 0.01;
      if (inGap) i += 20 + Math.floor(random() * 60);
      if (readings[i]) sparse.push(readings[i]!);
    }
    const found = detectHistory(sparse).map((s) => s.kind);
    expect(found).toContain('too-regular');
    expect(found).toContain('freeze-catch-up');
  });
});
