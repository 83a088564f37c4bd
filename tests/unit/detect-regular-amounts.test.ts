import { describe, expect, it } from 'vitest';
import { PotDetector } from '../../server/detect/pot-detector.js';
import type { Reading } from '../../shared/types.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const STEP = 15 * MINUTE;
const START = Date.UTC(2024, 2, 4);

/**
 * Three days of an honest crowd (independent donors, a day-and-night rhythm, gifts from a
 * few euros to a few hundred) read every 15 minutes. From midnight to 8:00 on the third
 * night a queue takes the crowd's place: 13 to 19 contributors per reading, each giving `gift()`.
 */
function potWithQueue(gift: (random: () => number) => number): Reading[] {
  let state = 11;
  const random = () => (state = (state * 48271) % 2147483647) / 2147483647;
  const crowdGift = () => Math.round(2000 * Math.exp(Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random())));
  const queueFrom = START + 2 * 24 * HOUR;
  const queueTo = queueFrom + 8 * HOUR;
  const readings: Reading[] = [];
  let contributors = 0;
  let amount = 0;
  for (let at = START; at < START + 3 * 24 * HOUR; at += MINUTE) {
    if (at >= queueFrom && at < queueTo) {
      if ((at - START) % STEP !== 0) continue;
      for (let n = 16 + Math.floor(random() * 7) - 3; n > 0; n--) {
        contributors++;
        amount += gift(random);
      }
    } else {
      const hour = new Date(at).getUTCHours();
      const rate = 0.6 * (0.1 + Math.max(0, Math.sin(((hour - 6) / 24) * 2 * Math.PI)));
      for (let t = -Math.log(1 - random()); t < rate; t += -Math.log(1 - random())) {
        contributors++;
        amount += crowdGift();
      }
    }
    if ((at - START) % STEP === 0) readings.push({ at, amountMinor: amount, contributors });
  }
  return readings;
}

const tooRegularRaised = (readings: Reading[]) => {
  const detector = new PotDetector();
  const found = [...detector.push(readings), ...detector.flush()];
  return found.some((finding) => finding.kind === 'too-regular' && !finding.withdrawn);
};

describe('too regular, judged on amounts as well as counts', () => {
  it('raises a queue of one gift size whose count per reading alone varies within what luck allows', () => {
    expect(tooRegularRaised(potWithQueue(() => 2000))).toBe(true);
  });

  it('leaves the same queue alone when its gifts vary as the crowd’s do', () => {
    const crowdLike = (random: () => number) => Math.round(2000 * Math.exp(Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random())));
    expect(tooRegularRaised(potWithQueue(crowdLike))).toBe(false);
  });
});
