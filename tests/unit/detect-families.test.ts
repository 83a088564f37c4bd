import { describe, expect, it } from 'vitest';
import { runPot } from '../../bench/eval-detection.js';
import { matchEvents } from '../../bench/eval-metrics.js';
import { SUGGESTION_KINDS } from '../../shared/suggestions.js';
import { familyPot, HONEST_FAMILIES } from '../fixtures/synthetic/families.js';

/**
 * The detectors on the evaluation's families, on seeds that belong neither to the tuning
 * set nor to the sealed one (npm run eval gives the full figures): every honest trap stays
 * quiet, every injected pattern is found, named by its kind, where it was injected.
 */
const FIRST_SEED = 700_000;
const SEEDS_PER_LABEL = 2;
const MATCH_SLACK_MS = 10 * 60_000;

describe('detection on the labelled families', () => {
  it('makes the same pot from the same seed, labels included', () => {
    const a = familyPot(FIRST_SEED, 'night-surge');
    const b = familyPot(FIRST_SEED, 'night-surge');
    expect(a.readings.length).toBe(b.readings.length);
    expect(a.readings.at(-1)).toEqual(b.readings.at(-1));
    expect(a.events).toEqual(b.events);
    expect(a.events).toHaveLength(1);
    expect(familyPot(FIRST_SEED, 'evening-burst-exp').events).toEqual([]);
  });

  describe.each(HONEST_FAMILIES)('honest family %s', (family) => {
    it('raises nothing', () => {
      for (let seed = FIRST_SEED; seed < FIRST_SEED + SEEDS_PER_LABEL; seed++) {
        const run = runPot(familyPot(seed, family));
        expect(run.suggestions.map((s) => `${run.pot.description}: ${s.kind}`)).toEqual([]);
      }
    });
  });

  describe.each(SUGGESTION_KINDS)('injected %s', (kind) => {
    it('is found, under its own name, where it was injected', () => {
      for (let seed = FIRST_SEED; seed < FIRST_SEED + SEEDS_PER_LABEL; seed++) {
        const run = runPot(familyPot(seed, kind));
        const { found } = matchEvents(run.pot.events, run.suggestions, MATCH_SLACK_MS);
        expect({ pot: run.pot.description, found }).toEqual({ pot: run.pot.description, found: [true] });
      }
    });
  });
});
