/**
 * Pages list their recent contributions newest first, without ids. To store each contribution
 * once, the list read at a poll is laid over what was already seen: the items above the point
 * where they meet are new. Lists shift (new gifts push old ones down), shrink or grow (a page
 * shows fewer or more), lose items (a platform removes one) and repeat themselves (a flood of
 * identical "Anonyme — 10 €" gifts): where identical items leave several ways to lay the lists
 * over each other, the number of new contributors since the last poll decides.
 */

/**
 * Stands in the memory where more contributions came at once than the page showed: unseen
 * ones lie there, `missing` of them when the count of newcomers told how many.
 */
export class Gap {
  constructor(readonly missing: number | undefined) {}
}

export type Remembered<T> = T | Gap;

export interface Alignment<T> {
  /** Items not seen before, newest first. */
  fresh: T[];
  /** What to remember for the next poll, newest first. */
  memory: Array<Remembered<T>>;
  /** No overlap at all: more contributions came than the page shows, and some may have been missed. */
  gap: boolean;
}

/** How many remembered items may have disappeared from the page (removed by the platform) above the first that remains. */
const MAX_REMOVED = 2;

interface Overlay<T> {
  offset: number;
  /** Items of the list below the top `offset` that were not seen either (in a gap, or below all that was remembered). */
  unseen: T[];
  memory: Array<Remembered<T>>;
}

export function alignContributions<T>(
  remembered: ReadonlyArray<Remembered<T>>,
  current: readonly T[],
  key: (item: T) => string,
  options: { expectedNew?: number | undefined; memorySize: number },
): Alignment<T> {
  const previous = remembered.map((item) => (item instanceof Gap ? undefined : key(item as T)));
  const keys = current.map(key);
  // Below the end of a full memory lie contributions forgotten, not unseen.
  const rememberedAll = remembered.length < options.memorySize;
  const overlays: Array<Overlay<T>> = [];
  if (previous.some((item) => item !== undefined)) {
    for (let offset = 0; offset < keys.length; offset++) {
      const overlay = overlayAt(remembered, previous, current, keys, offset, rememberedAll);
      if (overlay) overlays.push(overlay);
    }
  }
  const expected = options.expectedNew;
  const missing = expected === undefined ? undefined : expected - current.length;
  const gap = remembered.length > 0 && current.length > 0 && (missing === undefined || missing > 0) ? [new Gap(missing)] : [];
  const allNew: Overlay<T> = { offset: current.length, unseen: [], memory: [...current, ...gap, ...remembered] };
  // With a count of newcomers, "all of them are new" competes with the overlays; without, it is the last resort.
  const candidates: Array<Overlay<T>> = overlays.length === 0 || expected !== undefined ? [...overlays, allNew] : overlays;
  const chosen =
    expected === undefined
      ? candidates[0]!
      : candidates.reduce((best, candidate) => {
          // The newcomers arrived at the top; items below what was remembered are old ones first shown now.
          const distance = Math.abs(candidate.offset - expected);
          const bestDistance = Math.abs(best.offset - expected);
          // Between two equally likely readings, new gifts at the top are the common case.
          return distance < bestDistance || (distance === bestDistance && candidate.unseen.length < best.unseen.length) ? candidate : best;
        });
  return {
    fresh: [...current.slice(0, chosen.offset), ...chosen.unseen],
    memory: chosen.memory.slice(0, options.memorySize),
    gap: chosen === allNew && gap.length > 0,
  };
}

/**
 * Lays `current` from `offset` on over the memory from its start: undefined when they do not
 * match, else the items of `current` not seen before and the memory after this poll.
 */
function overlayAt<T>(
  remembered: ReadonlyArray<Remembered<T>>,
  previous: ReadonlyArray<string | undefined>,
  current: readonly T[],
  keys: readonly string[],
  offset: number,
  rememberedAll: boolean,
): Overlay<T> | undefined {
  const unseen: T[] = [];
  const memory: Array<Remembered<T>> = current.slice(0, offset);
  let i = offset;
  let j = 0;
  let removed = 0;
  let matched = 0;
  while (i < keys.length && j < previous.length) {
    const here = remembered[j]!;
    if (here instanceof Gap) {
      // A gap: so many shown items, when known, or else those down to the next remembered one
      // (or one of the few after it, should the platform have removed it), were never seen.
      const after = previous.slice(j + 1, j + 2 + MAX_REMOVED);
      let left = here.missing ?? Number.POSITIVE_INFINITY;
      while (i < keys.length && left > 0 && (here.missing !== undefined || !after.includes(keys[i]))) {
        unseen.push(current[i]!);
        memory.push(current[i]!);
        i++;
        left--;
      }
      if (left > 0 && i >= keys.length) memory.push(new Gap(here.missing === undefined ? undefined : left));
      j++;
      continue;
    }
    if (keys[i] === previous[j]) {
      memory.push(remembered[j]!);
      i++;
      j++;
      matched++;
      continue;
    }
    // A remembered item the page no longer shows: removed by the platform. The newest shown
    // item must be the newest remembered one, or one of the very few after it; further down,
    // removals must stay fewer than the items that match.
    if (++removed > MAX_REMOVED + matched) return undefined;
    j++;
  }
  if (matched === 0) return undefined;
  memory.push(...remembered.slice(j));
  if (i < keys.length) {
    if (!rememberedAll) return undefined;
    unseen.push(...current.slice(i));
    memory.push(...current.slice(i));
  }
  return { offset, unseen, memory };
}
