import { describe, expect, it } from 'vitest';
import { progressBar } from '../../server/cli/progress-bar.js';

function fakeStream(isTTY: boolean): { stream: NodeJS.WriteStream; written: string[] } {
  const written: string[] = [];
  const stream = { isTTY, write: (text: string) => written.push(text) } as unknown as NodeJS.WriteStream;
  return { stream, written };
}

describe('progress bar', () => {
  it('draws on a terminal, on one line, ending with a newline', () => {
    const { stream, written } = fakeStream(true);
    const bar = progressBar(stream);
    bar.update(0.5, 'importing 500 rows');
    bar.update(1, 'importing 1,000 rows');
    bar.done();
    expect(written[0]).toBe(`\r[${'#'.repeat(15)}${'-'.repeat(15)}]  50% importing 500 rows\x1b[K`);
    expect(written[1]).toContain('100% importing 1,000 rows');
    expect(written.at(-1)).toBe('\n');
  });

  it('writes nothing when the stream is not a terminal', () => {
    const { stream, written } = fakeStream(false);
    const bar = progressBar(stream);
    bar.update(0.5, 'importing');
    bar.done();
    expect(written).toEqual([]);
  });
});
