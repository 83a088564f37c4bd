import * as cheerio from 'cheerio';
import { describe, expect, it } from 'vitest';
import { buildChartSvg, chartScales, niceStep, type ChartSvgInput } from '../../server/embed/chart-svg.js';
import { THEME_COLOURS } from '../../shared/theme-colours.js';
import type { SeriesPoint } from '../../shared/types.js';

const T0 = Date.UTC(2019, 0, 8, 9, 0);
const points: SeriesPoint[] = Array.from({ length: 50 }, (_, i) => [T0 + i * 3_600_000, i * 2_800_000, i * 1000]);
const last = points[points.length - 1]!;

const input = (overrides: Partial<ChartSvgInput> = {}): ChartSvgInput => ({
  title: 'Soutien aux forces de l’ordre',
  currency: 'EUR',
  platform: 'Leetchi',
  replay: false,
  points,
  latest: { at: last[0], amountMinor: last[1], contributors: last[2] },
  width: 1200,
  height: 630,
  theme: 'light',
  lang: 'en',
  timeZone: 'UTC',
  showTitle: true,
  showCounters: true,
  ...overrides,
});

const parse = (svg: string) => cheerio.load(svg, { xml: true });
const texts = (svg: string) => parse(svg)('text').map((_, element) => parse(svg)(element).text()).get();

describe('chart SVG', () => {
  it('is well-formed SVG with a title, both curves, figures, dates and the credit', () => {
    const svg = buildChartSvg(input());
    const $ = parse(svg);
    expect($('svg').attr('viewBox')).toBe('0 0 1200 630');
    expect($('svg > title').text()).toBe('Soutien aux forces de l’ordre: €1,372,000 raised from 49,000 contributors');
    expect($('polyline')).toHaveLength(2);
    expect($('polyline').first().attr('points')!.split(' ')).toHaveLength(50);
    expect(texts(svg)).toEqual(
      expect.arrayContaining([
        'Soutien aux forces de l’ordre',
        '€1,372,000',
        '49,000 contributors',
        'Data: Leetchi, via Potwatch',
        '8 Jan 2019, 09:00 UTC',
        'Updated 10 Jan 2019, 10:00 UTC',
        '€1.4m',
        '€0',
        '50k',
      ]),
    );
  });

  it('escapes every text it is given', () => {
    const svg = buildChartSvg(input({ title: '<script>alert(1)</script> & "quotes"', platform: '</text><image href="x"/>' }));
    expect(svg).not.toContain('<script>');
    expect(svg).not.toContain('<image');
    const $ = parse(svg);
    expect($('script, image')).toHaveLength(0);
    expect($('svg > title').text()).toContain('<script>alert(1)</script> & "quotes"');
    expect(texts(svg)).toContain('Data: </text><image href="x"/>, via Potwatch');
  });

  it('speaks French in the time zone asked for, in the dark theme and accent colour', () => {
    const svg = buildChartSvg(input({ lang: 'fr', timeZone: 'Europe/Paris', theme: 'dark', accent: '#e11d48' }));
    const $ = parse(svg);
    expect($('rect').first().attr('fill')).toBe(THEME_COLOURS.dark.surface);
    expect($('polyline').first().attr('style')).toBe('stroke:#e11d48');
    expect(texts(svg)).toEqual(
      expect.arrayContaining(['Données : Leetchi, via Potwatch', expect.stringMatching(/^Mis à jour 10 janv\. 2019, 11:00 UTC\+1$/)]),
    );
    expect(texts(svg).some((text) => /^1\s372\s000\s€$/.test(text))).toBe(true);
  });

  it('says so when there is nothing to draw yet, and labels a replay', () => {
    const svg = buildChartSvg(input({ points: [], latest: undefined, replay: true }));
    expect(parse(svg)('polyline')).toHaveLength(0);
    expect(texts(svg)).toEqual(expect.arrayContaining(['No reading yet', 'Data: Leetchi, via Potwatch · Replay of historical figures']));
  });

  it('leaves out the title and counters on request', () => {
    const svg = buildChartSvg(input({ showTitle: false, showCounters: false }));
    expect(texts(svg)).not.toContain('Soutien aux forces de l’ordre');
    expect(texts(svg)).not.toContain('€1,372,000');
  });

  it('rounds axis steps up to readable values', () => {
    expect([1, 7, 12, 21, 240, 251, 999, 1001].map(niceStep)).toEqual([1, 10, 20, 50, 500, 500, 1000, 2000]);
  });

  it('chooses the axes the live chart (chart.js) would choose for the same height', () => {
    const pot: SeriesPoint[] = [
      [T0, 0, 3],
      [T0 + 1000, 2_842_200, 122],
    ];
    // A 260-pixel embed chart: €0 to €30k in steps of €5k, 0 to 140 contributors in steps of 20.
    expect(chartScales(pot, 200)).toEqual({
      amount: { step: 500_000, top: 3_000_000 },
      contributors: { step: 20, top: 140 },
      from: T0,
      to: T0 + 1000,
    });
    expect(chartScales([[T0, 0, 0]], 200)).toMatchObject({ amount: { step: 1, top: 1 }, contributors: { step: 1, top: 1 } });
  });
});
