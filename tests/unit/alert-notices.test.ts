import { describe, expect, it } from 'vitest';
import { potConfigSchema } from '../../shared/pot-config.js';
import type { Suggestion } from '../../shared/suggestions.js';
import { AlertNotices } from '../../server/alerts/alert-notices.js';

const notices = new AlertNotices(() => 'https://potwatch.example.org');
const pot = potConfigSchema.parse({ id: 'lea', title: 'Cagnotte de Léa', goal: 2000, source: { kind: 'webhook', secret: 'a-webhook-secret-0123456789' } });
const NIGHT = Date.UTC(2019, 0, 9, 23, 30);
const HOUR = 3_600_000;

/** A suggestion stored before evidence was written in French too. */
const englishOnly: Suggestion = {
  id: 7,
  potId: 'lea',
  from: NIGHT,
  to: NIGHT + 6 * HOUR,
  kind: 'night-surge',
  score: 4.2,
  evidence: { summary: 'Raised 3 times its usual night rate.' },
  status: 'pending',
  flagId: null,
  decidedBy: null,
};

describe('alert notices in each language', () => {
  it('tells a suggestion stored before French evidence existed with its English evidence in a French sentence, and carries no French summary', () => {
    const notice = notices.suggestion('fr', pot, englishOnly, undefined, NIGHT + 7 * HOUR);
    expect(notice.text).toBe(
      'Nouvelle suggestion sur « Cagnotte de Léa » (hausse nocturne, du 9 janv. 2019, 23:30 UTC au 10 janv. 2019, 05:30 UTC) : Raised 3 times its usual night rate.',
    );
    expect(notice.suggestion).toEqual({ id: 7, kind: 'night-surge', from: NIGHT, to: NIGHT + 6 * HOUR, score: 4.2, summary: 'Raised 3 times its usual night rate.' });
  });

  it('says in French why a pot is stale and when it was last read, and keeps the reason for tools as it was', () => {
    const status = { status: 'stale' as const, lastReadingAt: NIGHT };
    const french = notices.stale('fr', pot, status, undefined, NIGHT + HOUR);
    expect(french.text).toBe('« Cagnotte de Léa » n’est plus à jour : aucun nouveau relevé récemment. Dernier relevé : 9 janv. 2019, 23:30 UTC.');
    const english = notices.stale('en', pot, status, undefined, NIGHT + HOUR);
    expect(english.text).toBe('“Cagnotte de Léa” is stale: no new reading recently. Last reading: 9 Jan 2019, 23:30 UTC.');
    expect(french.reason).toBe(english.reason);
  });

  it('counts one contributor in the singular, in both languages', () => {
    const reading = { at: NIGHT, amountMinor: 150_000, contributors: 1 };
    const milestone = { minor: 100_000, reached: 'step' as const };
    expect(notices.milestone('fr', pot, milestone, reading).text).toBe(
      '« Cagnotte de Léa » a dépassé 1\u202f000,00\u00a0€ : 1\u202f500,00\u00a0€ collectés auprès de 1 participant (75\u00a0% de l’objectif de 2\u202f000,00\u00a0€).',
    );
    expect(notices.milestone('en', pot, milestone, reading).text).toBe('“Cagnotte de Léa” passed €1,000.00: €1,500.00 from 1 contributor (75% of €2,000.00).');
  });
});
