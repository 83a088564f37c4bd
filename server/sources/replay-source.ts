import { SECOND } from '../../shared/time.js';
import type { SourceOf } from '../config/pot-config.js';
import { police2019Scenario, type Scenario } from './scenarios/police-2019.js';
import type { RunningSource, SourceContext } from './source.js';

const SCENARIOS: Record<SourceOf<'replay'>['scenario'], () => Scenario> = {
  'police-2019': police2019Scenario,
};

const TICK_MS = 100;
const PAUSE_BEFORE_LOOP_MS = 30 * SECOND;

/**
 * Replays a historical scenario at `speed` times real time, with the readings' original
 * timestamps. A restarted server resumes where the stored history ends.
 */
export function startReplaySource(context: SourceContext, config: SourceOf<'replay'>): RunningSource {
  const { steps } = SCENARIOS[config.scenario]();
  let timer: NodeJS.Timeout | undefined;
  let next = 0;
  let clockOrigin = { wall: Date.now(), simulated: steps[0]!.reading.at };

  const beginAt = (index: number) => {
    next = index;
    const resumeFrom = index > 0 ? steps[index - 1]!.reading.at : steps[0]!.reading.at;
    clockOrigin = { wall: Date.now(), simulated: resumeFrom };
    context.reportPaused(undefined);
    timer = setInterval(tick, TICK_MS);
  };

  const tick = () => {
    const simulatedNow = clockOrigin.simulated + (Date.now() - clockOrigin.wall) * config.speed;
    const due = [];
    while (next < steps.length && steps[next]!.reading.at <= simulatedNow) due.push(steps[next++]!);
    if (due.length > 0) {
      context.ingest({
        readings: due.map((step) => step.reading),
        contributions: due.flatMap((step) => step.contributions),
        origin: 'replay',
      });
    }
    if (next >= steps.length) finish();
  };

  const finish = () => {
    clearInterval(timer);
    if (!config.loop) {
      context.reportPaused('replay finished');
      return;
    }
    context.reportPaused('replay finished, starting over shortly');
    timer = setTimeout(() => {
      context.clear();
      beginAt(0);
    }, PAUSE_BEFORE_LOOP_MS);
  };

  const latest = context.latest();
  const resumeIndex = latest ? steps.findIndex((step) => step.reading.at > latest.at) : 0;
  if (resumeIndex === -1) {
    finish();
  } else {
    beginAt(resumeIndex);
  }

  return {
    stop() {
      clearInterval(timer);
      clearTimeout(timer);
    },
  };
}
