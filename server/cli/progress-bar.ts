const WIDTH = 30;
const REDRAW_MS = 100;

export interface ProgressBar {
  update(fraction: number, detail: string): void;
  done(): void;
}

/**
 * A one-line progress bar on a terminal; nothing at all when the stream is not a
 * terminal, so that logs and pipes stay clean.
 */
export function progressBar(stream: NodeJS.WriteStream): ProgressBar {
  if (!stream.isTTY) return { update() {}, done() {} };
  let lastDraw = 0;
  let drawn = false;
  return {
    update(fraction, detail) {
      const now = Date.now();
      if (now - lastDraw < REDRAW_MS && fraction < 1) return;
      lastDraw = now;
      drawn = true;
      const clamped = Math.min(1, Math.max(0, fraction));
      const filled = Math.round(clamped * WIDTH);
      const percent = `${Math.floor(clamped * 100)}`.padStart(3);
      stream.write(`\r[${'#'.repeat(filled)}${'-'.repeat(WIDTH - filled)}] ${percent}% ${detail}\x1b[K`);
    },
    done() {
      if (drawn) stream.write('\n');
    },
  };
}
