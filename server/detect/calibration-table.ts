import type { CalibrationTable } from './calibration.js';

/** Written by `npm run eval -- --calibrate`; do not edit by hand. */
export const CALIBRATION_TABLE: CalibrationTable = {
  learnedOn: 'nothing yet',
  kinds: {
    'too-regular': { potDays: 0, strengths: [], scores: [], tailSlope: 1 },
    'night-surge': { potDays: 0, strengths: [], scores: [], tailSlope: 1 },
    'freeze-catch-up': { potDays: 0, strengths: [], scores: [], tailSlope: 1 },
    'sudden-jump': { potDays: 0, strengths: [], scores: [], tailSlope: 1 },
    'identical-small-gifts': { potDays: 0, strengths: [], scores: [], tailSlope: 1 },
    'duplicate-names': { potDays: 0, strengths: [], scores: [], tailSlope: 1 },
  },
};
