import type { DetectedInterval } from '../../shared/suggestions.js';
import type { Reading } from '../../shared/types.js';
import type { DetectionContribution } from './detector.js';
import { PotDetector, type DetectOptions } from './pot-detector.js';

/**
 * Suggestions over a whole history, oldest reading first: the same detector the server
 * runs as readings arrive, fed everything at once, so both always agree.
 */
export function detectHistory(
  readings: readonly Reading[],
  contributions: readonly DetectionContribution[] = [],
  options: DetectOptions = {},
): DetectedInterval[] {
  const detector = new PotDetector(options);
  const sorted = [...readings].sort((a, b) => a.at - b.at);
  const byId = new Map<number, DetectedInterval>();
  const keep = (findings: ReturnType<PotDetector['push']>) => {
    for (const { id, withdrawn, ...interval } of findings) {
      if (withdrawn) byId.delete(id);
      else byId.set(id, interval);
    }
  };
  keep(detector.push(sorted, contributions));
  keep(detector.flush());
  return [...byId.values()].sort((a, b) => a.from - b.from || a.kind.localeCompare(b.kind));
}
