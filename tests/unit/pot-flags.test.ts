import { describe, expect, it } from 'vitest';
import { PotFlags } from '../../client/src/lib/pot-flags.svelte.js';
import type { PublicFlag } from '../../shared/flags.js';

const flag = (id: number, from: number, overrides: Partial<PublicFlag> = {}): PublicFlag => ({
  id,
  potId: 'alpha',
  from,
  to: from + 10,
  reason: 'other',
  resolved: false,
  ...overrides,
});

describe('a pot’s flags in the browser', () => {
  it('adds, replaces and removes flags from events, kept in time order, ignoring other pots', () => {
    const flags = new PotFlags('alpha');
    flags.apply({ potId: 'alpha', flag: flag(1, 500) });
    flags.apply({ potId: 'alpha', flag: flag(2, 100) });
    flags.apply({ potId: 'beta', flag: { ...flag(3, 0), potId: 'beta' } });
    expect(flags.list.map((f) => f.id)).toEqual([2, 1]);
    flags.apply({ potId: 'alpha', flag: flag(1, 50, { resolved: true }) });
    expect(flags.list).toEqual([flag(1, 50, { resolved: true }), flag(2, 100)]);
    flags.apply({ potId: 'alpha', flag: { id: 2 }, removed: true });
    flags.apply({ potId: 'alpha', flag: { id: 99 }, removed: true });
    expect(flags.list.map((f) => f.id)).toEqual([1]);
  });

  it('keeps changes heard while the whole list was being fetched', async () => {
    const flags = new PotFlags('alpha');
    let answer!: (list: PublicFlag[]) => void;
    const loading = flags.load(() => new Promise((resolve) => (answer = resolve)));
    flags.apply({ potId: 'alpha', flag: flag(7, 700) });
    flags.apply({ potId: 'alpha', flag: { id: 1 }, removed: true });
    answer([flag(1, 100), flag(2, 200)]);
    await loading;
    expect(flags.list.map((f) => f.id)).toEqual([2, 7]);
    flags.apply({ potId: 'alpha', flag: flag(8, 800) });
    expect(flags.list.map((f) => f.id)).toEqual([2, 7, 8]);
  });

  it('drops a fetch overtaken by a later one, whichever answers first', async () => {
    const flags = new PotFlags('alpha');
    let answerFirst!: (list: PublicFlag[]) => void;
    let answerSecond!: (list: PublicFlag[]) => void;
    const first = flags.load(() => new Promise((resolve) => (answerFirst = resolve)));
    const second = flags.load(() => new Promise((resolve) => (answerSecond = resolve)));
    flags.apply({ potId: 'alpha', flag: flag(3, 300) });
    answerSecond([flag(1, 100), flag(3, 300)]);
    await second;
    answerFirst([flag(1, 100)]);
    await first;
    expect(flags.list.map((f) => f.id)).toEqual([1, 3]);
  });
});
