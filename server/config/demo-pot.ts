import type { PotConfig } from '../../shared/pot-config.js';

/** The built-in replay served when no pots are configured. */
export const DEMO_POT: PotConfig = {
  id: 'police-2019-replay',
  title: 'Soutien aux forces de l’ordre (replay, January 2019)',
  currency: 'EUR',
  goal: undefined,
  goalMinor: undefined,
  platform: 'Leetchi',
  source: { kind: 'replay', scenario: 'police-2019', speed: 600, loop: true },
};

/** The second built-in replay, the pot the platform closed the day before, to compare the two. */
export const SECOND_DEMO_POT: PotConfig = {
  id: 'dettinger-2019-replay',
  title: 'Cagnotte pour Christophe Dettinger (replay, January 2019)',
  currency: 'EUR',
  goal: undefined,
  goalMinor: undefined,
  platform: 'Leetchi',
  source: { kind: 'replay', scenario: 'dettinger-2019', speed: 600, loop: true },
};

/** The configured pots, with the built-in replays added when asked to, or by default when none is configured. */
export function withDemoPot(configured: readonly PotConfig[], demo: boolean | null | undefined): readonly PotConfig[] {
  const wanted = demo ?? configured.length === 0;
  if (!wanted) return configured;
  return [...configured, ...[DEMO_POT, SECOND_DEMO_POT].filter((demoPot) => !configured.some((pot) => pot.id === demoPot.id))];
}
