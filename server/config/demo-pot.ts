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

/** The configured pots, with the built-in replay added when asked to, or by default when none is configured. */
export function withDemoPot(configured: readonly PotConfig[], demo: boolean | null | undefined): readonly PotConfig[] {
  const wanted = demo ?? configured.length === 0;
  return wanted && !configured.some((pot) => pot.id === DEMO_POT.id) ? [...configured, DEMO_POT] : configured;
}
