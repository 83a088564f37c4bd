import { createRequire } from 'node:module';
import { BARE_TARGET, measureFanout, POTWATCH_TARGET, ratio, type FanoutOptions, type FanoutTarget, type FanoutTargetLevel } from './fanout.js';

export interface TuningComparison {
  name: string;
  question: string;
  reference: string;
  variant: string;
  referenceLevel: FanoutTargetLevel;
  variantLevel: FanoutTargetLevel;
  /** Variant over reference: below 1 the variant is faster. */
  latencyRatio: { p50: number; p99: number };
  cpuRatio: number;
}

export interface TuningResult {
  viewers: number;
  comparisons: TuningComparison[];
  /** Comparisons that could not run here, and why. */
  skipped: string[];
}

const installed = (name: string) => {
  try {
    createRequire(import.meta.url).resolve(name);
    return true;
  } catch {
    return false;
  }
};

interface Pair {
  name: string;
  question: string;
  reference: FanoutTarget;
  variant: FanoutTarget;
  needs?: string;
}

const PAIRS: Pair[] = [
  {
    name: 'cluster',
    question: 'Two cluster workers behind the sticky primary, against one process',
    reference: POTWATCH_TARGET,
    variant: { name: 'potwatch-cluster', script: 'servers/potwatch-cluster.ts', env: { BENCH_WORKERS: '2' } },
  },
  {
    name: 'bufferutil',
    question: "ws with the bufferutil addon, against ws's JavaScript masking (WS_NO_BUFFER_UTIL=1)",
    reference: { name: 'potwatch-js-masking', script: POTWATCH_TARGET.script, env: { WS_NO_BUFFER_UTIL: '1' } },
    variant: POTWATCH_TARGET,
    needs: 'bufferutil',
  },
  {
    name: 'msgpack',
    question: 'socket.io-msgpack-parser on both sides, against the default JSON parser (bare servers)',
    reference: BARE_TARGET,
    variant: { name: 'bare-msgpack', script: BARE_TARGET.script, parser: 'socket.io-msgpack-parser' },
    needs: 'socket.io-msgpack-parser',
  },
];

/** Side-by-side measurements of the choices that could make fan-out cheaper, at one level. */
export async function benchFanoutTuning(options: Omit<FanoutOptions, 'levels' | 'burst'> & { viewers: number }): Promise<TuningResult> {
  const pairs = PAIRS.filter((pair) => !pair.needs || installed(pair.needs));
  const skipped = PAIRS.filter((pair) => !pairs.includes(pair)).map(
    (pair) => `${pair.name}: the ${pair.needs} package is not installed (npm install --no-save ${pair.needs} to measure it)`,
  );
  const targets = new Map<string, FanoutTarget>();
  for (const pair of pairs) for (const target of [pair.reference, pair.variant]) targets.set(target.name, target);
  const measured = await measureFanout([...targets.values()], { ...options, levels: [options.viewers] });
  const comparisons = pairs.map((pair) => {
    const referenceLevel = measured.levels[pair.reference.name]![0]!;
    const variantLevel = measured.levels[pair.variant.name]![0]!;
    return {
      name: pair.name,
      question: pair.question,
      reference: pair.reference.name,
      variant: pair.variant.name,
      referenceLevel,
      variantLevel,
      latencyRatio: ratio(variantLevel.delivery, referenceLevel.delivery),
      cpuRatio: Math.round((variantLevel.cpuMsPerBroadcast / referenceLevel.cpuMsPerBroadcast) * 100) / 100,
    };
  });
  return { viewers: options.viewers, comparisons, skipped };
}
