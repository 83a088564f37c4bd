import os from 'node:os';
import path from 'node:path';
import { makeTempDir } from '../tests/helpers/temp-dir.js';
import { BenchChild } from './lib/child.js';
import { machineMs, sleep } from './lib/clock.js';
import { distribution, round, type Distribution } from './lib/stats.js';
import { benchPot, WebhookClient } from './lib/webhook-client.js';
import type { ProcessUsage } from './servers/usage.js';

/** A server measured by the fan-out benchmark. */
export interface FanoutTarget {
  name: string;
  /** Script under bench/ that starts the server and announces its port. */
  script: string;
  env?: NodeJS.ProcessEnv;
  /** Socket.IO parser package shared by the server and the viewers, if not the default one. */
  parser?: string;
}

export interface FanoutOptions {
  /** Connected viewers at each measured level, increasing. */
  levels: number[];
  /** Load generator processes sharing the viewers. */
  generators: number;
  /** Readings per second sent through the webhook while measuring. */
  rate: number;
  /** Length of one measuring window. */
  seconds: number;
  /** Windows per target and level; targets take turns, so that load from elsewhere hits all alike. */
  rounds: number;
  /** After the last level, one window per target at a higher rate, to see coalescing at work. */
  burst?: { rate: number; seconds: number };
}

export interface FanoutTargetLevel {
  viewers: number;
  /** ms from the webhook request being sent to the reading being received, over every delivery. */
  delivery: Distribution;
  /** ms until the last viewer had a reading, one figure per reading. */
  everyViewer: Distribution;
  /**
   * ms from the webhook's answer (the reading is committed) reaching the sender to the reading
   * reaching a viewer. Potwatch answers before it fans out; the bare server answers after, so
   * its figures here are negative.
   */
  afterAnswer: Distribution;
  delivered: number;
  expected: number;
  /** Readings that no viewer received because a newer one replaced them (coalescing). */
  superseded: number;
  /** Deliveries missing for readings that other viewers did receive. */
  lost: number;
  /** `reading` messages each viewer received per second of sending (at the nominal rate). */
  messagesPerViewerPerSecond: number;
  disconnects: number;
  /** Webhook round trip (request sent to answer received), ms. */
  webhook: Distribution;
  rssMiB: number;
  rssPerViewerKiB: number;
  /** Server CPU while measuring, in % of one core. */
  cpuPercent: number;
  /** Server CPU per reading broadcast to every viewer, ms. */
  cpuMsPerBroadcast: number;
  loopDelayP99Ms: number;
  /** One-minute load average of the machine while this level ran (2 = both cores busy). */
  loadAverage: number;
}

/** A level the machine could not reach, and why. */
export interface StoppedLevel {
  viewers: number;
  reason: string;
}

export const POTWATCH_TARGET: FanoutTarget = { name: 'potwatch', script: 'servers/potwatch-server.ts' };
export const BARE_TARGET: FanoutTarget = { name: 'bare', script: 'servers/bare-server.ts' };

const POT_ID = 'bench';
const CONNECT_CONCURRENCY = 50;
const DRAIN_MS = 1500;
const BURST_DRAIN_MS = 4000;

interface ViewerReport {
  disconnects: number;
  received: Map<number, Float64Array>;
}

interface RunningTarget {
  spec: FanoutTarget;
  server: BenchChild;
  url: string;
  webhook: WebhookClient;
  idle: ProcessUsage;
}

interface Window {
  sent: Map<number, number>;
  answered: Map<number, number>;
  webhookMs: number[];
  cpuMs: number;
  windowMs: number;
  /** How long the readings were being sent, at the nominal rate. */
  sendingMs: number;
  loopDelayP99Ms: number;
}

/**
 * Every target runs in its own process with the same viewers, spread over the generator
 * processes, and the same readings; at each level the targets take turns, window by window.
 */
export async function measureFanout(
  targets: FanoutTarget[],
  options: FanoutOptions,
): Promise<{ levels: Record<string, FanoutTargetLevel[]>; burst: Record<string, FanoutTargetLevel>; stoppedAt?: StoppedLevel }> {
  const temp = makeTempDir('potwatch-bench-');
  const lifetimeMs = 8 * 60_000;
  const children: BenchChild[] = [];
  const running: RunningTarget[] = [];
  try {
    for (const spec of targets) {
      const { child, ready } = await BenchChild.start<{ port: number }>(spec.script, {
        name: `${spec.name} server`,
        lifetimeMs,
        nodeFlags: ['--expose-gc'],
        env: {
          ...spec.env,
          BENCH_PARSER: spec.parser ?? '',
          BENCH_DATABASE: path.join(temp.dir, `${spec.name}.db`),
          BENCH_POTS: JSON.stringify([benchPot(POT_ID)]),
        },
      });
      children.push(child);
      const url = `http://127.0.0.1:${ready.port}`;
      running.push({ spec, server: child, url, webhook: new WebhookClient(url, POT_ID), idle: await child.request('usage') });
    }
    const generators = await Promise.all(
      Array.from({ length: options.generators }, async (_, index) => {
        const { child } = await BenchChild.start('fanout/viewers.ts', {
          name: `viewers #${index + 1}`,
          lifetimeMs,
          // Each generator connects from its own loopback address, and so has a whole range of
          // ephemeral ports to itself.
          env: { BENCH_LOCAL_ADDRESS: `127.0.0.${index + 2}` },
        });
        children.push(child);
        return child;
      }),
    );

    const results: Record<string, FanoutTargetLevel[]> = Object.fromEntries(targets.map((spec) => [spec.name, []]));
    const burst: Record<string, FanoutTargetLevel> = {};
    const collect = async (viewers: number, windows: Map<string, Window[]>, memory: Map<string, ProcessUsage>, loadAverage: number) => {
      const reports = await Promise.all(generators.map((generator) => generator.request<ViewerReport>('report')));
      await Promise.all(generators.map((generator) => generator.request('begin')));
      return new Map(
        running.map((target) => {
          const own = windows.get(target.spec.name)!;
          const sent = new Map(own.flatMap((window) => [...window.sent]));
          const answered = new Map(own.flatMap((window) => [...window.answered]));
          const cpuMs = own.reduce((sum, window) => sum + window.cpuMs, 0);
          const windowMs = own.reduce((sum, window) => sum + window.windowMs, 0);
          const sendingMs = own.reduce((sum, window) => sum + window.sendingMs, 0);
          const rss = memory.get(target.spec.name)!.rss;
          const summary = summarise(sent, answered, reports, viewers);
          const level: FanoutTargetLevel = {
            ...summary,
            messagesPerViewerPerSecond: round(summary.delivered / viewers / (sendingMs / 1000), 2),
            webhook: distribution(own.flatMap((window) => window.webhookMs)),
            rssMiB: round(rss / 2 ** 20, 1),
            rssPerViewerKiB: round((rss - target.idle.rss) / 1024 / viewers, 1),
            cpuPercent: round((cpuMs / windowMs) * 100, 1),
            cpuMsPerBroadcast: round(cpuMs / (sent.size - summary.superseded), 2),
            loopDelayP99Ms: round(Math.max(...own.map((window) => window.loopDelayP99Ms)), 1),
            loadAverage: round(Math.max(loadAverage, os.loadavg()[0]!), 2),
          };
          return [target.spec.name, level] as const;
        }),
      );
    };
    let seq = 0;
    let connected = 0;
    let stoppedAt: StoppedLevel | undefined;
    levels: for (const viewers of options.levels) {
      const toAdd = viewers - connected;
      for (const target of running) {
        const outcomes = await Promise.all(
          generators.map((generator, index) =>
            generator.request<{ connected: number; failed: number; firstError?: string }>(
              'connect',
              {
                pool: target.spec.name,
                url: target.url,
                potId: POT_ID,
                count: Math.floor(toAdd / generators.length) + (index < toAdd % generators.length ? 1 : 0),
                concurrency: CONNECT_CONCURRENCY,
                parser: target.spec.parser,
              },
              180_000,
            ),
          ),
        );
        const failure = outcomes.find((outcome) => outcome.failed > 0);
        if (failure) {
          // The machine cannot hold this many (descriptors, ports, memory, a busy CPU): what was measured below stands.
          if (results[POTWATCH_TARGET.name]!.length === 0) {
            throw new Error(`${target.spec.name}: ${failure.failed} viewers could not connect on the way to ${viewers}: ${failure.firstError}`);
          }
          stoppedAt = { viewers, reason: `${target.spec.name}: ${failure.failed} viewers could not connect: ${failure.firstError}` };
          break levels;
        }
      }
      connected = viewers;
      const loadAtStart = os.loadavg()[0]!;
      await sleep(1000);
      const memory = new Map<string, ProcessUsage>();
      for (const target of running) memory.set(target.spec.name, await target.server.request<ProcessUsage>('usage'));

      const windows = new Map<string, Window[]>(targets.map((spec) => [spec.name, []]));
      for (let roundIndex = 0; roundIndex < options.rounds; roundIndex++) {
        const order = roundIndex % 2 === 0 ? running : [...running].reverse();
        for (const target of order) {
          const window = await measureWindow(target, options, () => ++seq);
          windows.get(target.spec.name)!.push(window);
        }
      }
      for (const [name, level] of await collect(viewers, windows, memory, loadAtStart)) results[name]!.push(level);
    }
    if (options.burst && !stoppedAt) {
      const windows = new Map<string, Window[]>();
      const memory = new Map<string, ProcessUsage>();
      const loadAtStart = os.loadavg()[0]!;
      for (const target of running) {
        const burstOptions = { ...options, ...options.burst };
        windows.set(target.spec.name, [await measureWindow(target, burstOptions, () => ++seq, BURST_DRAIN_MS)]);
        memory.set(target.spec.name, await target.server.request<ProcessUsage>('usage'));
      }
      for (const [name, level] of await collect(connected, windows, memory, loadAtStart)) burst[name] = level;
    }
    return { levels: results, burst, ...(stoppedAt ? { stoppedAt } : {}) };
  } finally {
    for (const target of running) target.webhook.close();
    await Promise.all(children.reverse().map((child) => child.stop()));
    temp.remove();
  }
}

/** Sends `rate` readings per second for `seconds` to one target and waits for stragglers. */
async function measureWindow(
  target: RunningTarget,
  options: Pick<FanoutOptions, 'rate' | 'seconds'>,
  nextSeq: () => number,
  drainMs = DRAIN_MS,
): Promise<Window> {
  const before = await target.server.request<ProcessUsage>('cpu');
  const windowStart = machineMs();
  const sent = new Map<number, number>();
  const answered = new Map<number, number>();
  const webhookMs: number[] = [];
  const count = Math.round(options.rate * options.seconds);
  const intervalMs = 1000 / options.rate;
  const posts: Promise<void>[] = [];
  for (let index = 0; index < count; index++) {
    const wait = windowStart + index * intervalMs - machineMs();
    if (wait > 0) await sleep(wait);
    const seq = nextSeq();
    // `contributors` carries the sequence number, which the viewers report back.
    const body = JSON.stringify({ at: Date.now(), amount: 100 + seq * 25, contributors: seq });
    const sentAt = machineMs();
    sent.set(seq, sentAt);
    posts.push(
      target.webhook.post(body).then((answer) => {
        if (answer.status !== 200) throw new Error(`${target.spec.name}: webhook answered ${answer.status} ${answer.body}`);
        const answeredAt = machineMs();
        answered.set(seq, answeredAt);
        webhookMs.push(answeredAt - sentAt);
      }),
    );
  }
  await Promise.all(posts);
  const sendingMs = count * intervalMs;
  await sleep(drainMs);
  const windowMs = machineMs() - windowStart;
  const after = await target.server.request<ProcessUsage>('cpu');
  return { sent, answered, webhookMs, cpuMs: after.cpuMs - before.cpuMs, windowMs, sendingMs, loopDelayP99Ms: after.loopDelayP99Ms };
}

function summarise(sent: Map<number, number>, answered: Map<number, number>, reports: ViewerReport[], viewers: number) {
  const latencies: number[] = [];
  const afterAnswer: number[] = [];
  const lastViewer: number[] = [];
  let disconnects = 0;
  let superseded = 0;
  let lost = 0;
  for (const [seq, sentAt] of sent) {
    let count = 0;
    let latest = -Infinity;
    for (const report of reports) {
      const times = report.received.get(seq);
      if (!times) continue;
      count += times.length;
      const answeredAt = answered.get(seq)!;
      for (const time of times) {
        latencies.push(time - sentAt);
        afterAnswer.push(time - answeredAt);
        if (time > latest) latest = time;
      }
    }
    if (count === viewers) lastViewer.push(latest - sentAt);
    else if (count === 0) superseded++;
    else lost += viewers - count;
  }
  for (const report of reports) disconnects += report.disconnects;
  return {
    viewers,
    delivery: distribution(latencies),
    everyViewer: distribution(lastViewer),
    afterAnswer: distribution(afterAnswer),
    delivered: latencies.length,
    expected: viewers * sent.size,
    superseded,
    lost,
    disconnects,
  };
}

export interface FanoutResult {
  rate: number;
  secondsPerWindow: number;
  rounds: number;
  generators: number;
  /** The largest level, as the contract names it. */
  viewers: number;
  p50: number;
  p99: number;
  bare: { p50: number; p99: number };
  /** Potwatch over bare Socket.IO, at the largest level. */
  overhead: { p50: number; p99: number };
  levels: Array<{ viewers: number; potwatch: FanoutTargetLevel; bare: FanoutTargetLevel; overhead: { p50: number; p99: number } }>;
  /** The level at which the run stopped because viewers could not connect, if it did. */
  stoppedAt?: StoppedLevel;
  /** A burst of readings at the largest level: Potwatch coalesces, the bare server sends everything. */
  burst?: { rate: number; seconds: number; potwatch: FanoutTargetLevel; bare: FanoutTargetLevel };
}

export function ratio(ours: Distribution, theirs: Distribution) {
  return { p50: round(ours.p50 / theirs.p50), p99: round(ours.p99 / theirs.p99) };
}

/** Potwatch and a bare Socket.IO broadcast server, side by side with the same viewers and readings. */
export async function benchFanout(options: FanoutOptions): Promise<FanoutResult> {
  const measured = await measureFanout([POTWATCH_TARGET, BARE_TARGET], options);
  const levels = measured.levels.potwatch!.map((ours, index) => {
    const theirs = measured.levels.bare![index]!;
    return { viewers: ours.viewers, potwatch: ours, bare: theirs, overhead: ratio(ours.delivery, theirs.delivery) };
  });
  const top = levels[levels.length - 1]!;
  return {
    rate: options.rate,
    secondsPerWindow: options.seconds,
    rounds: options.rounds,
    generators: options.generators,
    viewers: top.viewers,
    p50: top.potwatch.delivery.p50,
    p99: top.potwatch.delivery.p99,
    bare: { p50: top.bare.delivery.p50, p99: top.bare.delivery.p99 },
    overhead: top.overhead,
    levels,
    ...(options.burst && measured.burst.potwatch
      ? { burst: { ...options.burst, potwatch: measured.burst.potwatch, bare: measured.burst.bare! } }
      : {}),
    ...(measured.stoppedAt ? { stoppedAt: measured.stoppedAt } : {}),
  };
}
