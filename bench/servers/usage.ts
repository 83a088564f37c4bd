import { monitorEventLoopDelay } from 'node:perf_hooks';

export interface ProcessUsage {
  /** Resident set size, in bytes. */
  rss: number;
  heapUsed: number;
  /** User + system CPU time since the process started, in ms. */
  cpuMs: number;
  /** Event loop delay since the previous sample, ms. */
  loopDelayP99Ms: number;
}

const loopDelay = monitorEventLoopDelay({ resolution: 10 });
loopDelay.enable();

/**
 * What a server child reports about itself. With `collect`, memory is read after a full
 * garbage collection (there is `gc` when Node ran with --expose-gc); CPU figures for a
 * measuring window are read without one, so that the benchmark's own collections stay out.
 */
export function processUsage(collect = false): ProcessUsage {
  if (collect) (globalThis as { gc?: () => void }).gc?.();
  const cpu = process.cpuUsage();
  const memory = process.memoryUsage();
  const usage = {
    rss: memory.rss,
    heapUsed: memory.heapUsed,
    cpuMs: (cpu.user + cpu.system) / 1000,
    loopDelayP99Ms: loopDelay.percentile(99) / 1e6,
  };
  loopDelay.reset();
  return usage;
}
