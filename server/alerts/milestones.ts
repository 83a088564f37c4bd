/** A threshold of a pot's amount that an alert announces when it is passed. */
export interface Milestone {
  minor: number;
  reached: 'step' | 'goal';
}

/**
 * The thresholds passed when a pot's amount goes from above `fromMinor` to `toMinor`: every
 * multiple of `everyMinor` and the goal, each once, lowest first. Nothing when it does not rise.
 */
export function milestonesPassed(fromMinor: number, toMinor: number, everyMinor: number | undefined, goalMinor: number | undefined): Milestone[] {
  if (toMinor <= fromMinor) return [];
  const passed: Milestone[] = [];
  if (everyMinor !== undefined && everyMinor > 0) {
    for (let step = Math.floor(fromMinor / everyMinor) + 1; step * everyMinor <= toMinor; step++) {
      if (step * everyMinor !== goalMinor) passed.push({ minor: step * everyMinor, reached: 'step' });
    }
  }
  if (goalMinor !== undefined && goalMinor > fromMinor && goalMinor <= toMinor) passed.push({ minor: goalMinor, reached: 'goal' });
  return passed.sort((a, b) => a.minor - b.minor);
}
