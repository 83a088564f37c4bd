import type { DetectorDefinition } from './detector.js';
import { duplicateNames } from './duplicate-texts.js';
import { freezeCatchUp } from './freeze-catch-up.js';
import { identicalSmallGifts } from './identical-gifts.js';
import { nightSurge } from './night-surge.js';
import { suddenJump } from './sudden-jump.js';
import { tooRegular } from './too-regular.js';

/**
 * Every pattern detection looks for, one file each (see detector.ts for what a detector
 * receives and what a finding carries). A new kind is a new file, its name in
 * shared/suggestions.ts, and one line here. Each cell is shown to them in this order.
 */
export const DETECTORS: readonly DetectorDefinition[] = [
  tooRegular,
  nightSurge,
  identicalSmallGifts,
  suddenJump,
  freezeCatchUp,
  duplicateNames,
];
