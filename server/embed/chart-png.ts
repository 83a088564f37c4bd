import { createRequire } from 'node:module';
import path from 'node:path';
import { Resvg } from '@resvg/resvg-js';

const require = createRequire(import.meta.url);
const FONTS_DIR = path.join(path.dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');
/** Bundled with the server, so that the image's text is the same on every machine. */
const FONT_FILES = ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf'].map((file) => path.join(FONTS_DIR, file));
export const IMAGE_FONT_FAMILY = 'DejaVu Sans';

/**
 * A PNG of a chart's SVG, at `scale` times its size (2 for print and sharp screens). Text is
 * set in the bundled font whatever the SVG asks for, so that no machine's fonts change it.
 */
export function svgToPng(svg: string, scale = 1): Buffer {
  const image = new Resvg(svg, {
    font: { fontFiles: FONT_FILES, loadSystemFonts: false, defaultFontFamily: IMAGE_FONT_FAMILY, sansSerifFamily: IMAGE_FONT_FAMILY },
    fitTo: { mode: 'zoom', value: scale },
    background: 'transparent',
  });
  return image.render().asPng();
}

/**
 * Rendered images, kept per pot and per the request that made them, until the pot's latest
 * reading changes: a crowd of social-network crawlers costs one rendering per reading.
 */
export class ImageCache {
  private readonly entries = new Map<string, { version: string; image: Buffer }>();

  constructor(private readonly maxEntries = 500) {}

  get(key: string, version: string, render: () => Buffer): { image: Buffer; fresh: boolean } {
    const entry = this.entries.get(key);
    if (entry && entry.version === version) {
      // Most recently used last, so that the oldest go first when the cache is full.
      this.entries.delete(key);
      this.entries.set(key, entry);
      return { image: entry.image, fresh: false };
    }
    const image = render();
    this.entries.delete(key);
    this.entries.set(key, { version, image });
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    return { image, fresh: true };
  }
}
