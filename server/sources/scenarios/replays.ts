import type { ShippedAnnotation } from '../../../shared/annotations.js';
import type { ReplayScenario } from '../../../shared/pot-config.js';
import { DETTINGER_2019_ANNOTATIONS, dettinger2019Scenario } from './dettinger-2019.js';
import { POLICE_2019_ANNOTATIONS, police2019Scenario, type Scenario } from './police-2019.js';

export interface Replay {
  build(): Scenario;
  /** Where the original figures were shown, for the credit line. */
  platform: string;
  /** The public events of the time, shown on the chart. */
  annotations: ShippedAnnotation[];
}

/** The replays Potwatch ships: a new one is one entry here. */
export const REPLAYS: Record<ReplayScenario, Replay> = {
  'police-2019': { build: police2019Scenario, platform: 'Leetchi', annotations: POLICE_2019_ANNOTATIONS },
  'dettinger-2019': { build: dettinger2019Scenario, platform: 'Leetchi', annotations: DETTINGER_2019_ANNOTATIONS },
};
