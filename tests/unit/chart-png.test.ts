import { describe, expect, it } from 'vitest';
import { ImageCache, svgToPng } from '../../server/embed/chart-png.js';

const SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40"><text x="4" y="28" font-family="Comic Sans MS" font-size="20">1 427 265 €</text></svg>';

describe('chart images', () => {
  it('rasterises an SVG with the bundled font, at the scale asked', () => {
    const png = svgToPng(SVG, 2);
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(png.readUInt32BE(16)).toBe(240);
    expect(png.readUInt32BE(20)).toBe(80);
    // The same pixels on every call: no system font can change them.
    expect(svgToPng(SVG, 2).equals(png)).toBe(true);
  });

  it('renders a pot’s image once per reading, and again when the reading changes', () => {
    const cache = new ImageCache(2);
    let renders = 0;
    const render = () => Buffer.from(String(++renders));
    expect(cache.get('alpha|1200x630', '1', render)).toEqual({ image: Buffer.from('1'), fresh: true });
    expect(cache.get('alpha|1200x630', '1', render)).toEqual({ image: Buffer.from('1'), fresh: false });
    expect(cache.get('alpha|1200x630', '2', render)).toEqual({ image: Buffer.from('2'), fresh: true });
    cache.get('beta|1200x630', '1', render);
    cache.get('gamma|1200x630', '1', render);
    // The least recently used went first.
    expect(cache.get('alpha|1200x630', '2', render).fresh).toBe(true);
  });
});
