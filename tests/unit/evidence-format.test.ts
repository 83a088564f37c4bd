import { describe, expect, it } from 'vitest';
import { en, fr } from '../../server/detect/evidence-format.js';

const nineJanuary = Date.UTC(2019, 0, 9, 23, 0);
const tenJanuary = Date.UTC(2019, 0, 10, 5, 30);

describe('evidence words', () => {
  it('write numbers, ratios and shares each language’s way', () => {
    expect(en.count(1328)).toBe('1,328');
    expect(fr.count(1328)).toMatch(/^1\s328$/);
    expect(en.times(8.34)).toBe('8.3x');
    expect(fr.times(8.34)).toMatch(/^8,3\sfois$/);
    expect(en.percent(0.061)).toBe('6.1%');
    expect(fr.percent(0.061)).toMatch(/^6,1\s%$/);
    expect(en.money(2499, undefined)).toBe('24.99');
    expect(fr.money(2499, undefined)).toBe('24,99');
  });

  it('write dates in UTC, in words of each language', () => {
    expect(en.span(nineJanuary, tenJanuary)).toBe('Wed 9 Jan, 23:00 to Thu 10 Jan, 05:30 UTC');
    expect(fr.span(nineJanuary, tenJanuary)).toBe('mer. 9 janv., 23:00 à jeu. 10 janv., 05:30 UTC');
  });

  it('count honest pot-days in millions and billions, French taking the plural from two', () => {
    expect(en.manyTimes(6.04)).toBe('1.1 million');
    expect(fr.manyTimes(6.04)).toBe('1,1 million');
    expect(fr.manyTimes(7.99)).toBe('98 millions');
    expect(fr.manyTimes(9)).toBe('1 milliard');
    expect(en.manyTimes(10.2)).toBe('16 billion');
    expect(fr.manyTimes(10.2)).toBe('16 milliards');
  });
});
