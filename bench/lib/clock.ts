/**
 * Milliseconds on the machine's monotonic clock (CLOCK_MONOTONIC through libuv's hrtime).
 * It is one clock for every process on the machine, with nanosecond resolution, and unlike
 * the wall clock it never steps or slews: a time stamped in one process can be subtracted
 * from a time stamped in another.
 */
export function machineMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
