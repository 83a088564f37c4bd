import { describe, expect, it } from 'vitest';
import { Calibration, learnKindCalibration, type CalibrationTable } from '../../server/detect/calibration.js';
import { FindingBook } from '../../server/detect/findings.js';
import { SUGGESTION_KINDS } from '../../shared/suggestions.js';

const HOUR = 3_600_000;

/** Every kind calibrated alike: one honest day in ten reaches strength 1 to 10. */
const calibration = (): Calibration => {
  const maxima = [...Array.from({ length: 10 }, (_, i) => i + 1), ...new Array<number>(90).fill(-Infinity)];
  const kind = learnKindCalibration(maxima, 100);
  const table: CalibrationTable = { learnedOn: 'test', kinds: Object.fromEntries(SUGGESTION_KINDS.map((k) => [k, kind])) as CalibrationTable['kinds'] };
  return new Calibration(table);
};

describe('the finding book', () => {
  it('describes a finding as the window that set its score does, when a weaker window of another route extends it', () => {
    const book = new FindingBook({ calibration: calibration(), alarmScore: 0, explainedBy: {} });
    book.report('too-regular', { from: 0, to: 3 * HOUR, strength: 9 }, () => ({ summary: 'steady surge' }));
    book.report('too-regular', { from: 2 * HOUR, to: 4 * HOUR, strength: 3 }, () => ({ summary: 'even pace' }));
    const [finding] = book.takeChanges();
    expect(finding).toMatchObject({ from: 0, to: 4 * HOUR });
    expect(finding!.evidence.summary).toMatch(/^steady surge /);
    book.report('too-regular', { from: 3 * HOUR, to: 5 * HOUR, strength: 9.5 }, () => ({ summary: 'even pace' }));
    expect(book.takeChanges()[0]!.evidence.summary).toMatch(/^even pace /);
  });
});
