import type { PotConfig } from './pot-config.js';

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
