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
