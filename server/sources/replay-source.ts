import { SECOND } from '../../shared/time.js';
import type { SourceOf } from '../../shared/pot-config.js';
import { REPLAYS } from './scenarios/replays.js';
import type { RunningSource, SourceContext } from './source.js';


const TICK_MS = 100;
const PAUSE_BEFORE_LOOP_MS = 30 * SECOND;

/**
 * Replays a historical scenario at `speed` times real time, with the readings' original
 * timestamps. A restarted server resumes where the stored history ends.
 */
export function startReplaySource(context: SourceContext, config: SourceOf<'replay'>): RunningSource {
  const { steps } = REPLAYS[config.scenario].build();
  let timer: NodeJS.Timeout | undefined;
  let next = 0;
  let failing = false;
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
    let upTo = next;
    while (upTo < steps.length && steps[upTo]!.reading.at <= simulatedNow) upTo++;
    const due = steps.slice(next, upTo);
    if (due.length > 0) {
      // A write the database refuses (full disk, lock held elsewhere) is tried again at the
      // next tick with the steps due since: nothing is skipped, and the timer never throws.
      try {
        context.ingest({
          readings: due.map((step) => step.reading),
          contributions: due.flatMap((step) => step.contributions),
          origin: 'replay',
        });
      } catch (error) {
        if (!failing) context.logger.warn({ err: error }, 'replay readings could not be stored');
        failing = true;
        context.reportFailure('the replay readings could not be stored');
        return;
      }
      if (failing) {
        failing = false;
        context.reportFailure(undefined);
      }
    }
    next = upTo;
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
