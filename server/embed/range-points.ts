import type { EmbedRange } from '../../shared/embed-options.js';
import { DAY, HOUR } from '../../shared/time.js';
import type { Reading, SeriesPoint } from '../../shared/types.js';
import { potSeries } from '../db/downsample.js';
import type { ReadingsRepository } from '../db/readings-repository.js';

const RANGE_MS: Record<EmbedRange, number | undefined> = { all: undefined, '24h': DAY, '1h': HOUR };

/** At most `maxPoints` points of a pot over an embed range that ends at its latest reading. */
export function rangePoints(
  readings: ReadingsRepository,
  potId: string,
  pot: { latest: Reading | undefined; firstReadingAt: number | null },
  range: EmbedRange,
  maxPoints: number,
): SeriesPoint[] {
  if (!pot.latest) return [];
  const to = pot.latest.at;
  const span = RANGE_MS[range];
  const from = span !== undefined ? to - span : (pot.firstReadingAt ?? to);
  return potSeries(readings, potId, from, to, maxPoints);
}
