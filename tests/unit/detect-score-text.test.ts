import { afterEach, describe, expect, it } from 'vitest';
import { i18n } from '../../client/src/lib/i18n.svelte.js';
import { evidenceText, flagNoteOf, queueOrder, scoreText } from '../../client/src/lib/suggestion-text.js';
import { MAX_FLAG_NOTE_LENGTH } from '../../shared/flags.js';
import { confirmSuggestionSchema } from '../../shared/schemas.js';
import type { Suggestion } from '../../shared/suggestions.js';

const suggestion = (id: number, score: number, from: number): Suggestion => ({
  id,
  potId: 'alpha',
  kind: 'night-surge',
  from,
  to: from + 1,
  score,
  evidence: { summary: '' },
  status: 'pending',
  flagId: null,
  decidedBy: null,
});

describe('the calibrated score as moderators read it', () => {
  afterEach(() => {
    i18n.lang = 'en';
  });

  it('says how many honest pot-days show one such interval, in English and French', () => {
    i18n.lang = 'en';
    expect(scoreText(3.5)).toBe('about 1 in 3,200 honest pot-days');
    expect(scoreText(6.65)).toBe('about 1 in 4.5 million honest pot-days');
    i18n.lang = 'fr';
    expect(scoreText(3.5).replace(/\s/g, ' ')).toBe('environ 1 journée de cagnotte honnête sur 3 200');
    expect(scoreText(9.35)).toBe('environ 1 journée de cagnotte honnête sur 2,2 milliards');
  });

  it('tells different scores apart and only stops at figures no data can support', () => {
    i18n.lang = 'en';
    expect(new Set([4, 5, 7, 9, 11].map(scoreText)).size).toBe(5);
    expect(scoreText(40)).toBe('rarer than 1 in 1 trillion honest pot-days');
  });

  it("shows the evidence in the viewer's language and makes it the note of a flag made in French", () => {
    const described = { ...suggestion(1, 5, 0), evidence: { summary: 'Steady night.', summaryFr: 'Nuit régulière.' } };
    const englishOnly = { ...suggestion(2, 5, 0), evidence: { summary: 'Stored before French evidence.' } };
    i18n.lang = 'en';
    expect(evidenceText(described)).toBe('Steady night.');
    expect(flagNoteOf(described)).toBeUndefined();
    i18n.lang = 'fr';
    expect(evidenceText(described)).toBe('Nuit régulière.');
    expect(flagNoteOf(described)).toBe('Nuit régulière.');
    expect(evidenceText(englishOnly)).toBe('Stored before French evidence.');
    expect(flagNoteOf(englishOnly)).toBeUndefined();
  });

  it('cuts a French note to what a flag holds, so that confirming never fails on its length', () => {
    const summaryFr = 'Hausse régulière. '.repeat(150);
    const long = { ...suggestion(3, 5, 0), evidence: { summary: 'Steady rise.', summaryFr } };
    i18n.lang = 'fr';
    const note = flagNoteOf(long)!;
    expect(note).toHaveLength(MAX_FLAG_NOTE_LENGTH);
    expect(summaryFr.startsWith(note)).toBe(true);
    expect(confirmSuggestionSchema.safeParse({ note: summaryFr }).success).toBe(false);
    expect(confirmSuggestionSchema.safeParse({ note }).success).toBe(true);
  });

  it('lists the rarest first, then the oldest', () => {
    const list = [suggestion(1, 3.6, 300), suggestion(2, 8.1, 200), suggestion(3, 3.6, 100)];
    expect(list.sort(queueOrder).map((s) => s.id)).toEqual([2, 3, 1]);
  });
});
