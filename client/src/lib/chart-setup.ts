import {
  _adapters,
  Chart,
  Filler,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  TimeScale,
  Tooltip,
} from 'chart.js';
import { minorDigits } from '../../../shared/money.js';
import { count, money } from './format.js';
import { intlDateAdapter } from './intl-date-adapter.js';

Chart.register(LineController, LineElement, PointElement, LinearScale, TimeScale, Tooltip, Legend, Filler);
_adapters._date.override(intlDateAdapter);

export { Chart };

let annotationPlugin: Promise<void> | undefined;
let annotationPluginReady = false;

/**
 * The shading plugin is fetched only once a chart has something to shade: most never do.
 * A chart sees plugins registered before it was created, so one made earlier must be rebuilt.
 */
export function loadAnnotationPlugin(): Promise<void> {
  annotationPlugin ??= import('chartjs-plugin-annotation').then(({ default: plugin }) => {
    Chart.register(plugin);
    annotationPluginReady = true;
  });
  return annotationPlugin;
}

export function hasAnnotationPlugin(): boolean {
  return annotationPluginReady;
}

/** The amount on the left (its grid drawn) and the contributors on the right, as every pot chart shows them. */
export function amountAndContributorsAxes(currency: string, colours: { amount: string; contributors: string; grid: string }) {
  return {
    amount: {
      type: 'linear' as const,
      position: 'left' as const,
      beginAtZero: true,
      grid: { color: colours.grid },
      ticks: { color: colours.amount, callback: (value: string | number) => money(Number(value) * 10 ** minorDigits(currency), currency, { compact: true }) },
    },
    contributors: {
      type: 'linear' as const,
      position: 'right' as const,
      beginAtZero: true,
      grid: { drawOnChartArea: false },
      ticks: { color: colours.contributors, callback: (value: string | number) => count(Number(value)) },
    },
  };
}
