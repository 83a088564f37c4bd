import type { ShippedAnnotation } from '../../../shared/annotations.js';
import type { Reading } from '../../../shared/types.js';
import { HOUR, MINUTE } from '../../../shared/time.js';
import type { Contribution } from '../../db/readings-repository.js';
import { pick, pickWeighted, poisson, seededRandom } from './random.js';

/**
 * A reconstruction, minute by minute, of the pot opened on Tuesday 8 January 2019 for the
 * police officers, gendarmes and firefighters hurt during demonstrations. Public reports
 * give its shape: past EUR 1 million within about 72 hours, near EUR 1.4 million from more
 * than 50,000 contributors on the morning of Friday 11 January, a near-linear rise during
 * the night of 9 to 10 January, a processing backlog on Wednesday caught up later, and
 * duplicated contributor names and messages. The minute-level detail is modelled, not
 * recorded: honest activity follows the French daily rhythm and media coverage.
 */

export interface ScenarioStep {
  reading: Reading;
  /** Contributions whose processing this reading reflects. */
  contributions: Contribution[];
}

export interface Scenario {
  id: string;
  steps: ScenarioStep[];
  /** Stretches a moderator would want to look at, for the record (the replay does not use them). */
  notableIntervals: Array<{ from: number; to: number; what: string }>;
}

const START = Date.UTC(2019, 0, 8, 9, 0);
const END = Date.UTC(2019, 0, 11, 10, 0);
/** Wednesday afternoon: contributions queue and the displayed totals stop moving. */
const BACKLOG_FROM = Date.UTC(2019, 0, 9, 13, 20);
const BACKLOG_TO = Date.UTC(2019, 0, 9, 15, 40);
const CATCH_UP_MINUTES = 6;
/** The night of Wednesday 9 to Thursday 10 January, 00:00 to 06:30 in Paris. */
const STEADY_NIGHT_FROM = Date.UTC(2019, 0, 9, 23, 0);
const STEADY_NIGHT_TO = Date.UTC(2019, 0, 10, 5, 30);
const STEADY_NIGHT_PER_MINUTE = 22;
/** Thursday morning: a DDoS-protection page blocks readings for a while. */
const BLACKOUT_FROM = Date.UTC(2019, 0, 10, 7, 40);
const BLACKOUT_TO = Date.UTC(2019, 0, 10, 8, 5);

/** Relative activity by hour of the day in Paris (UTC+1 in January). */
const DAILY_RHYTHM = [
  0.35, 0.2, 0.1, 0.07, 0.07, 0.08, 0.2, 0.45, 0.6, 0.72, 0.75, 0.78, 0.85, 0.85, 0.72, 0.7, 0.72, 0.8, 0.9,
  1.0, 1.0, 0.95, 0.75, 0.5,
];

/** News coverage: when it started (UTC), how strong, how fast interest faded. */
const MEDIA_WAVES = [
  { at: Date.UTC(2019, 0, 8, 12, 0), strength: 1.0, fadeHours: 10 },
  { at: Date.UTC(2019, 0, 8, 18, 30), strength: 2.2, fadeHours: 6 },
  { at: Date.UTC(2019, 0, 9, 6, 30), strength: 1.6, fadeHours: 8 },
  { at: Date.UTC(2019, 0, 9, 18, 30), strength: 1.2, fadeHours: 6 },
  { at: Date.UTC(2019, 0, 10, 11, 0), strength: 1.4, fadeHours: 6 },
  { at: Date.UTC(2019, 0, 10, 18, 30), strength: 0.8, fadeHours: 8 },
];

/** Contributors per minute at full rhythm and no media wave; sets the final total near 50,000. */
const BASE_PER_MINUTE = 18.1;

const GIFTS_EUR: ReadonlyArray<readonly [number, number]> = [
  [5, 15],
  [10, 30],
  [15, 5],
  [20, 22],
  [30, 5],
  [50, 15],
  [100, 6],
  [250, 2],
];
const STEADY_GIFTS_EUR: ReadonlyArray<readonly [number, number]> = [
  [20, 40],
  [25, 20],
  [30, 40],
];

export const FIRST_NAMES = [
  'Marie', 'Jean', 'Pierre', 'Michel', 'Philippe', 'Nathalie', 'Isabelle', 'Sylvie', 'Catherine', 'Alain',
  'Patrick', 'Nicolas', 'Christophe', 'Stéphane', 'Sandrine', 'Laurent', 'Frédéric', 'Julien', 'Céline',
  'Sébastien', 'Valérie', 'Éric', 'David', 'Thierry', 'Christine', 'Olivier', 'Véronique', 'Pascal',
  'Martine', 'Dominique', 'Françoise', 'Bernard', 'Daniel', 'Gérard', 'Sophie', 'Thomas', 'Aurélie',
  'Camille', 'Manon', 'Lucas',
];
export const LAST_NAMES = [
  'Martin', 'Bernard', 'Dubois', 'Thomas', 'Robert', 'Richard', 'Petit', 'Durand', 'Leroy', 'Moreau',
  'Simon', 'Laurent', 'Lefebvre', 'Michel', 'Garcia', 'David', 'Bertrand', 'Roux', 'Vincent', 'Fournier',
  'Morel', 'Girard', 'André', 'Lefèvre', 'Mercier', 'Dupont', 'Lambert', 'Bonnet', 'François', 'Martinez',
];
const MESSAGES = [
  'Courage à vous !',
  'Merci pour votre engagement.',
  'Soutien total.',
  'Prompt rétablissement à tous les blessés.',
  'Merci de nous protéger.',
  'De tout cœur avec vous.',
  'Bon courage aux familles.',
  'Force et honneur.',
];
const REPEATED_NAMES = ['Jean-Pierre M.', 'Patrick D.', 'Sylvie L.', 'Gérard B.', 'Michel R.', 'Nadine P.'];
const REPEATED_MESSAGE = 'Soutien indéfectible à nos forces de l’ordre, merci pour tout ce que vous faites !';

/**
 * The public events of that week, as the report dates them (its hours are not given: each
 * stands where the reconstruction places what it describes).
 */
export const POLICE_2019_ANNOTATIONS: ShippedAnnotation[] = [
  {
    key: 'boxer-pot',
    at: Date.UTC(2019, 0, 7, 18, 0),
    label: {
      en: 'A pot for a former boxer passes EUR 115,000 within hours, then the platform closes it',
      fr: 'Une cagnotte pour un ancien boxeur dépasse 115 000 € en quelques heures, puis la plateforme la ferme',
    },
  },
  { key: 'opens', at: START, label: { en: 'The pot opens (Tuesday 8 January)', fr: 'Ouverture de la cagnotte (mardi 8 janvier)' } },
  {
    key: 'backlog',
    at: BACKLOG_FROM,
    label: {
      en: 'Contributions queue and are processed late (the platform’s account)',
      fr: 'Les contributions s’accumulent et sont traitées en retard (selon la plateforme)',
    },
  },
  {
    key: 'steady-night',
    at: STEADY_NIGHT_FROM,
    label: { en: 'A near-linear rise through the night, which observers noticed', fr: 'Une hausse presque linéaire dans la nuit, que des observateurs remarquent' },
  },
  {
    key: 'ddos-protection',
    at: BLACKOUT_FROM,
    label: { en: 'A DDoS-protection service is switched on', fr: 'Un service de protection contre les attaques DDoS est activé' },
  },
  {
    key: 'morning-11',
    at: END,
    label: { en: 'Near EUR 1.4 million from more than 50,000 contributors', fr: 'Près de 1,4 million d’euros de plus de 50 000 participants' },
  },
];

export function police2019Scenario(): Scenario {
  const random = seededRandom(20190108);
  const steps: ScenarioStep[] = [];
  let amountMinor = 0;
  let contributors = 0;
  let sequence = 0;
  const queued: Contribution[] = [];

  const newContribution = (at: number, steady: boolean): Contribution => {
    sequence++;
    const euros = pickWeighted(random, steady ? STEADY_GIFTS_EUR : GIFTS_EUR);
    const contribution: Contribution = { id: `police-2019-${sequence}`, at, amountMinor: euros * 100 };
    if (steady && random() < 0.3) {
      contribution.name = pick(random, REPEATED_NAMES);
      if (random() < 0.5) contribution.message = REPEATED_MESSAGE;
    } else if (random() < 0.6) {
      contribution.name = `${pick(random, FIRST_NAMES)} ${pick(random, LAST_NAMES)}`;
      if (random() < 0.2) contribution.message = pick(random, MESSAGES);
    }
    return contribution;
  };

  for (let at = START; at <= END; at += MINUTE) {
    const steady = at >= STEADY_NIGHT_FROM && at < STEADY_NIGHT_TO;
    const arrivals = steady
      ? STEADY_NIGHT_PER_MINUTE + (Math.floor((at - START) / MINUTE) % 3 === 0 ? 1 : 0)
      : poisson(random, honestRatePerMinute(at));
    for (let i = 0; i < arrivals; i++) queued.push(newContribution(at, steady));

    if (at >= BACKLOG_FROM && at < BACKLOG_TO) {
      if (at < BLACKOUT_FROM || at >= BLACKOUT_TO) steps.push(step(at, amountMinor, contributors, []));
      continue;
    }
    const catchUpLeft = Math.max(1, Math.ceil((BACKLOG_TO + CATCH_UP_MINUTES * MINUTE - at) / MINUTE));
    const processing = at < BACKLOG_TO + CATCH_UP_MINUTES * MINUTE && at >= BACKLOG_TO
      ? queued.splice(0, Math.ceil(queued.length / catchUpLeft))
      : queued.splice(0, queued.length);
    for (const contribution of processing) {
      contribution.at = at;
      amountMinor += contribution.amountMinor!;
    }
    contributors += processing.length;
    if (at >= BLACKOUT_FROM && at < BLACKOUT_TO) continue;
    steps.push(step(at, amountMinor, contributors, processing));
  }

  return {
    id: 'police-2019',
    steps,
    notableIntervals: [
      { from: BACKLOG_FROM, to: BACKLOG_TO + CATCH_UP_MINUTES * MINUTE, what: 'processing backlog, then catch-up' },
      { from: STEADY_NIGHT_FROM, to: STEADY_NIGHT_TO, what: 'near-linear night growth, duplicated names' },
      { from: BLACKOUT_FROM, to: BLACKOUT_TO, what: 'no readings: DDoS-protection page' },
    ],
  };
}

function step(at: number, amountMinor: number, contributors: number, contributions: Contribution[]): ScenarioStep {
  return { reading: { at, amountMinor, contributors }, contributions };
}

function honestRatePerMinute(at: number): number {
  const parisHour = (new Date(at).getUTCHours() + 1) % 24;
  const minuteFraction = new Date(at).getUTCMinutes() / 60;
  const rhythm =
    DAILY_RHYTHM[parisHour]! * (1 - minuteFraction) + DAILY_RHYTHM[(parisHour + 1) % 24]! * minuteFraction;
  let media = 0.15;
  for (const wave of MEDIA_WAVES) {
    if (at < wave.at) continue;
    const hours = (at - wave.at) / HOUR;
    media += wave.strength * Math.exp(-hours / wave.fadeHours) * (1 - Math.exp(-hours / 0.5));
  }
  return BASE_PER_MINUTE * rhythm * media;
}
