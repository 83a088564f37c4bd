import { readFileSync } from 'node:fs';
import type { ProcessUsage } from './usage.js';

const CLOCK_TICKS_PER_SECOND = 100;

/** Usage summed over several processes, read from Linux's /proc (no garbage collection first). */
export function procUsage(pids: number[]): ProcessUsage {
  let rss = 0;
  let cpuMs = 0;
  for (const pid of pids) {
    try {
      rss += Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) * 1024;
      // Fields 14 and 15 of /proc/<pid>/stat, counted after the parenthesised command name.
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      cpuMs += ((Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND) * 1000;
    } catch {
      // A process that just exited counts for nothing.
    }
  }
  return { rss, heapUsed: 0, cpuMs, loopDelayP99Ms: 0 };
}
