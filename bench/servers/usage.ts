import { monitorEventLoopDelay } from 'node:perf_hooks';

export interface ProcessUsage {
  /** Resident set size after a full garbage collection, in bytes. */
  rss: number;
  heapUsed: number;
  /** User + system CPU time since the process started, in ms. */
  cpuMs: number;
  /** Event loop delay since the previous sample, ms. */
  loopDelayP99Ms: number;
}

const loopDelay = monitorEventLoopDelay({ resolution: 10 });
loopDelay.enable();

/** What a server child reports about itself; `gc` is there when Node ran with --expose-gc. */
export function processUsage(): ProcessUsage {
  // CPU first: the collection below is the benchmark's doing, not the server's.
  const cpu = process.cpuUsage();
  (globalThis as { gc?: () => void }).gc?.();
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
