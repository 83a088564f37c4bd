import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { alignContributions, Gap, type Remembered } from '../../server/sources/page/align-contributions.js';
import { propertyRuns, recordFigures } from '../helpers/soak.js';

interface Gift {
  /** Position in the true stream: what the page never shows, and the test checks. */
  serial: number;
  /** What the page shows: name, amount and message, often repeated. */
  shown: string;
}

const MEMORY = 200;

/**
 * A pot's true contributions arrive in bursts between polls; each poll sees the newest
 * `shown` of them (a page of 3 to 15), newest first. Every contribution that appears on at
 * least one poll must be stored exactly once.
 */
function simulate(bursts: ReadonlyArray<{ arrivals: string[]; shown: number; removeNewest: boolean }>, withHint: boolean) {
  const stream: Gift[] = [];
  const removed = new Set<number>();
  let memory: Array<Remembered<Gift>> = [];
  const stored: number[] = [];
  const visible = new Set<number>();
  let gaps = 0;
  for (const burst of bursts) {
    for (const shown of burst.arrivals) stream.push({ serial: stream.length, shown });
    // A platform may remove the newest gift it had shown (a refund, moderation).
    const newestShown = memory.find((item): item is Gift => !(item instanceof Gap));
    if (burst.removeNewest && newestShown) removed.add(newestShown.serial);
    const page = stream
      .filter((gift) => !removed.has(gift.serial))
      .slice(-burst.shown)
      .reverse();
    for (const gift of page) visible.add(gift.serial);
    const alignment = alignContributions(memory, page, (gift) => gift.shown, {
      expectedNew: withHint ? burst.arrivals.length : undefined,
      memorySize: MEMORY,
    });
    if (alignment.gap) gaps++;
    stored.push(...alignment.fresh.map((gift) => gift.serial));
    memory = alignment.memory;
  }
  return { stored, visible, gaps };
}

const burst = (shownKinds: fc.Arbitrary<string>) =>
  fc.record({
    arrivals: fc.array(shownKinds, { maxLength: 12 }),
    shown: fc.integer({ min: 3, max: 15 }),
    removeNewest: fc.nat(9).map((roll) => roll < 3),
  });

describe('laying successive contribution lists over each other', () => {
  it('stores every shown contribution exactly once when the new contributors are known, even among identical gifts', () => {
    const runs = propertyRuns(1500);
    const fewKinds = fc.constantFrom('Anonyme|1000|', 'Anonyme|1000|Courage', 'Marie|2000|', 'Paul|500|Merci');
    fc.assert(
      fc.property(fc.array(burst(fewKinds), { minLength: 1, maxLength: 25 }), (bursts) => {
        const noRemovals = bursts.map((b) => ({ ...b, removeNewest: false }));
        const { stored, visible } = simulate(noRemovals, true);
        expect(new Set(stored).size).toBe(stored.length);
        expect([...stored].sort((a, b) => a - b)).toEqual([...visible].sort((a, b) => a - b));
      }),
      { numRuns: runs },
    );
    recordFigures('property', { name: 'contribution list alignment (repeated gifts, counts known)', runs });
  });

  it('stores every shown contribution exactly once among distinct gifts, without counts, across shifts, shorter pages and removals', () => {
    const runs = propertyRuns(1500);
    let serial = 0;
    const distinct = fc.constant(null).map(() => `Donor ${serial++}|${serial % 7}00|`);
    fc.assert(
      fc.property(fc.array(burst(distinct), { minLength: 1, maxLength: 25 }), (bursts) => {
        const { stored, visible } = simulate(bursts, false);
        expect(new Set(stored).size).toBe(stored.length);
        expect([...stored].sort((a, b) => a - b)).toEqual([...visible].sort((a, b) => a - b));
      }),
      { numRuns: runs },
    );
    recordFigures('property', { name: 'contribution list alignment (distinct gifts, removals)', runs });
  });

  it('says when more came than the page shows', () => {
    const first = alignContributions([], ['a', 'b', 'c'], (x) => x, { memorySize: 10 });
    expect(first).toMatchObject({ fresh: ['a', 'b', 'c'], gap: false });
    const flooded = alignContributions(first.memory, ['x', 'y', 'z'], (x) => x, { memorySize: 10 });
    expect(flooded).toMatchObject({ fresh: ['x', 'y', 'z'], gap: true });
  });
});
