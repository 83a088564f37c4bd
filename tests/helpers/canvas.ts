import type { Frame, Page } from 'playwright-core';

/** Pixels of the first chart canvas of a page or frame that are not transparent: zero when nothing was drawn. */
export const paintedPixels = (target: Page | Frame) =>
  target
    .locator('canvas')
    .first()
    .evaluate((canvas: HTMLCanvasElement) => {
      const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
      let painted = 0;
      for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) painted++;
      return painted;
    });

/** The share of the chart canvas's columns where the amount's blue is drawn. */
export const amountColumnsShare = (target: Page | Frame) =>
  target
    .locator('canvas')
    .first()
    .evaluate((canvas: HTMLCanvasElement) => {
      const { data, width, height } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
      let columns = 0;
      for (let x = 0; x < width; x++) {
        for (let y = 0; y < height; y++) {
          const i = (y * width + x) * 4;
          if (data[i + 3]! > 0 && data[i + 2]! - data[i]! > 40) {
            columns++;
            break;
          }
        }
      }
      return columns / width;
    });
