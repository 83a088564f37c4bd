import type { ShippedAnnotation } from '../../../shared/annotations.js';
import { HOUR, MINUTE } from '../../../shared/time.js';
import type { Contribution } from '../../db/readings-repository.js';
import { FIRST_NAMES, LAST_NAMES, type Scenario, type ScenarioStep } from './police-2019.js';
import { pick, pickWeighted, poisson, seededRandom } from './random.js';

/**
 * A reconstruction of the pot that relatives of the former boxer Christophe Dettinger opened on
 * Monday 7 January 2019 on the same platform: it collected more than EUR 115,000 within a few
 * hours, and the platform closed it. Only that shape is public; the hours and the minute-level
 * detail are modelled: a share that spreads fast, then the pot stops taking gifts.
 */

const START = Date.UTC(2019, 0, 7, 12, 0);
/** The platform closes the pot once it has passed EUR 115,000. */
const CLOSE_AFTER_MINOR = 115_000_00;
const CLOSED_MINUTES_LATER = 4;

const GIFTS_EUR: ReadonlyArray<readonly [number, number]> = [
  [5, 18],
  [10, 32],
  [15, 8],
  [20, 22],
  [30, 6],
  [50, 10],
  [100, 4],
];
const MESSAGES = ['Soutien !', 'Courage à toi.', 'Tiens bon.', 'De tout cœur avec toi et ta famille.'];

/** Contributors per minute: a share spreading on social networks, doubling in under an hour, then easing. */
function ratePerMinute(at: number): number {
  const hours = (at - START) / HOUR;
  return 45 * (1 - Math.exp(-hours / 0.8)) * Math.exp(-Math.max(0, hours - 3) / 6);
}

export function dettinger2019Scenario(): Scenario {
  const random = seededRandom(20190107);
  const steps: ScenarioStep[] = [];
  let amountMinor = 0;
  let contributors = 0;
  let sequence = 0;
  let closesAt: number | undefined;
  for (let at = START; closesAt === undefined || at <= closesAt; at += MINUTE) {
    const arrivals = poisson(random, ratePerMinute(at));
    const contributions: Contribution[] = [];
    for (let i = 0; i < arrivals; i++) {
      const euros = pickWeighted(random, GIFTS_EUR);
      const contribution: Contribution = { id: `dettinger-2019-${++sequence}`, at, amountMinor: euros * 100 };
      if (random() < 0.6) contribution.name = `${pick(random, FIRST_NAMES)} ${pick(random, LAST_NAMES)}`;
      if (random() < 0.15) contribution.message = pick(random, MESSAGES);
      contributions.push(contribution);
      amountMinor += euros * 100;
    }
    contributors += arrivals;
    steps.push({ reading: { at, amountMinor, contributors }, contributions });
    if (closesAt === undefined && amountMinor > CLOSE_AFTER_MINOR) closesAt = at + CLOSED_MINUTES_LATER * MINUTE;
  }
  return { id: 'dettinger-2019', steps, notableIntervals: [] };
}

const CLOSED_AT = dettinger2019Scenario().steps.at(-1)!.reading.at;

export const DETTINGER_2019_ANNOTATIONS: ShippedAnnotation[] = [
  { key: 'opens', at: START, label: { en: 'Relatives of a former boxer open a pot for him (Monday 7 January)', fr: 'Des proches d’un ancien boxeur ouvrent une cagnotte pour lui (lundi 7 janvier)' } },
  { key: 'closed', at: CLOSED_AT, label: { en: 'Past EUR 115,000, the pot is closed by the platform', fr: 'Passé 115 000 €, la cagnotte est fermée par la plateforme' } },
];
