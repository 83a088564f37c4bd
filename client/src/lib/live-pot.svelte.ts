import { untrack } from 'svelte';
import type { ReadingEvent, StatusEvent } from '../../../shared/events.js';
import type { Annotation } from '../../../shared/annotations.js';
import { DAY, HOUR } from '../../../shared/time.js';
import type { PotStatusInfo, PotSummary, Reading, SeriesPoint } from '../../../shared/types.js';
import { ApiError, fetchAnnotations, fetchPot, fetchPublicFlags, fetchSeries } from './api.js';
import type { LiveFeed, LiveListener } from './live-feed.js';
import { PotAnnotations } from './pot-annotations.svelte.js';
import { PotFlags } from './pot-flags.svelte.js';

export const RANGES = ['1h', '24h', 'all'] as const;
export type RangeKey = (typeof RANGES)[number];
/** How far back from the latest reading each range reaches; `all` has no limit. */
export const RANGE_MS: Record<RangeKey, number | undefined> = { '1h': HOUR, '24h': DAY, all: undefined };

const RETRY_MS = 3000;

/** What the server knew when it drew the page: the view starts from it instead of from nothing. */
export interface LivePotStart {
  pot: PotSummary;
  /** The points of the chart's range, as the server drew them. */
  points: SeriesPoint[];
  /** The context annotations the server drew, if any. */
  annotations?: Annotation[];
}

/**
 * One pot seen live: the history over HTTP, then the feed's readings appended to it.
 * After a dropped connection it joins again and fetches only what it missed.
 */
export class LivePot {
  pot = $state<PotSummary | undefined>();
  latest = $state<Reading | undefined>();
  status = $state<PotStatusInfo | undefined>();
  /** False while the feed has lost the pot (the figures may be behind). */
  connected = $state(false);
  error = $state<'not_found' | 'load_failed' | undefined>();
  range = $state<RangeKey>('all');
  /** Chart points, oldest first. Extended in place; `revision` changes whenever they change. */
  points: SeriesPoint[] = [];
  revision = $state(0);
  /** Changes when the points were replaced rather than extended. */
  generation = $state(0);
  /** Published flags, shaded on the chart. */
  readonly flags: PotFlags;
  /** Context annotations, marked on the chart. */
  readonly annotations: PotAnnotations;

  private loading: Promise<void> | undefined;
  /** Whether the feed is passing on the pot's events (from its answer to subscribing until it loses the pot). */
  private hearing = false;
  /** Whether flags and annotations were fetched while the feed was passing on their events (missed ones are not replayed). */
  private marksCurrent = false;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private stopped = false;

  constructor(
    readonly potId: string,
    /** Most points worth drawing: about the chart's width in pixels. */
    private readonly pointBudget = 1000,
    start?: LivePotStart,
  ) {
    this.flags = new PotFlags(potId);
    this.annotations = new PotAnnotations(potId);
    if (start) {
      this.pot = start.pot;
      this.latest = start.pot.latest;
      this.status = { status: start.pot.status, lastReadingAt: start.pot.lastReadingAt, reason: start.pot.reason };
      this.points = start.points;
      this.annotations.list = start.annotations ?? [];
      this.connected = true;
      this.revision = 1;
    }
  }

  /** Follows the pot through `feed` (and draws `range`); returns how to stop. */
  start(feed: LiveFeed, range: RangeKey = 'all'): () => void {
    this.range = range;
    const listener: LiveListener = {
      joined: (answer) => this.joined(answer),
      reading: (event) => this.onReading(event),
      status: (event) => this.onStatus(event),
      flag: (event) => this.flags.apply(event),
      annotation: (event) => this.annotations.apply(event),
      lost: () => {
        this.connected = false;
        this.hearing = false;
        this.marksCurrent = false;
      },
      failed: (error) => (this.error = error),
    };
    // Read without tracking: the effect that starts the view must not start it again when it changes.
    untrack(() => {
      // The whole history needs nothing from the feed: fetch it while the feed connects.
      if (range === 'all' && this.points.length === 0) void this.reload('replace');
      // Drawn by the server: the shading and context are all that is missing until the feed answers.
      else if (this.pot) void this.loadMarks();
    });
    const stop = feed.follow(this.potId, listener);
    return () => {
      this.stopped = true;
      clearTimeout(this.retryTimer);
      stop();
    };
  }

  setRange(range: RangeKey): void {
    if (range === this.range) return;
    this.range = range;
    void this.reload('replace');
  }

  /** Change of contributors and amount over the hour before the latest reading. */
  lastHour(): { amountMinor: number; contributors: number } | null {
    void this.revision;
    const latest = this.latest;
    if (!latest || this.points.length === 0 || this.points[0]![0] > latest.at - HOUR) return null;
    const before = pointAtOrBefore(this.points, latest.at - HOUR);
    return before ? { amountMinor: latest.amountMinor - before[1], contributors: latest.contributors - before[2] } : null;
  }

  private joined(answer: Parameters<LiveListener['joined']>[0]): void {
    if (this.stopped) return;
    this.connected = true;
    this.hearing = true;
    this.error = undefined;
    if (answer.pot) this.pot = answer.pot;
    else if (!this.pot) void this.loadPot();
    this.status = answer.status;
    const last = this.points[this.points.length - 1];
    const rewritten = answer.latest !== null && last !== undefined && answer.latest.at < last[0];
    if (rewritten) this.latest = answer.latest ?? undefined;
    else if (answer.latest) this.acceptLatest(answer.latest);
    void this.reload((this.points.length === 0 && !this.loading) || rewritten ? 'replace' : 'catch-up');
    if (!this.marksCurrent) void this.loadMarks();
  }

  /** For a feed that carries no description of the pot (polling a snapshot). */
  private async loadPot(): Promise<void> {
    try {
      const pot = await fetchPot(this.potId);
      if (!this.stopped) this.pot = pot;
    } catch (error) {
      if (this.stopped) return;
      if (error instanceof ApiError && error.status === 404) {
        this.error = 'not_found';
        return;
      }
      this.error = 'load_failed';
      this.retryTimer = setTimeout(() => void this.loadPot(), RETRY_MS);
    }
  }

  /**
   * After each (re)joining: changes missed while disconnected are not replayed. Marks fetched
   * before the feed joined (a page drawn by the server) are fetched again when it joins.
   */
  private async loadMarks(): Promise<void> {
    this.marksCurrent = this.hearing;
    // Once the feed passes changes on, the lists are asked of the server itself: a copy the browser
    // kept from a moment ago (their public lifetime is two seconds) may lack the change just missed.
    const cache: RequestCache | undefined = this.hearing ? 'no-cache' : undefined;
    try {
      await Promise.all([
        this.flags.load(async () => (await fetchPublicFlags(this.potId, cache)).flags),
        this.annotations.load(async () => (await fetchAnnotations(this.potId, cache)).annotations),
      ]);
    } catch {
      // The chart is still right without its shading and context; the next reconnection tries again.
      this.marksCurrent = false;
    }
  }

  private onReading(event: ReadingEvent): void {
    if (event.potId !== this.potId) return;
    const reading: Reading = { at: event.at, amountMinor: event.amountMinor, contributors: event.contributors };
    const last = this.points[this.points.length - 1];
    if (last && reading.at < last[0] && !this.loading) {
      // The history was rewritten (a replay starting over): draw it again from scratch.
      this.latest = reading;
      void this.reload('replace');
      return;
    }
    this.acceptLatest(reading);
    if (this.loading) return;
    this.append(reading);
    if (this.points.length > 2 * this.pointBudget) void this.reload('replace');
  }

  private onStatus(event: StatusEvent): void {
    if (event.potId !== this.potId) return;
    this.status = { status: event.status, lastReadingAt: event.lastReadingAt, reason: event.reason };
  }

  private acceptLatest(reading: Reading): void {
    if (this.latest && reading.at < this.latest.at) return;
    this.latest = reading;
    if (this.status && (this.status.lastReadingAt ?? -Infinity) < reading.at) {
      this.status = { ...this.status, lastReadingAt: reading.at };
    }
  }

  private append(reading: Reading): void {
    const last = this.points[this.points.length - 1];
    if (last && reading.at <= last[0]) return;
    this.points.push([reading.at, reading.amountMinor, reading.contributors]);
    this.revision++;
  }

  /** Fetches the whole window (`replace`) or only what came after the last point (`catch-up`). */
  private reload(mode: 'replace' | 'catch-up'): Promise<void> {
    const run = async () => {
      const span = RANGE_MS[this.range];
      const last = this.points[this.points.length - 1];
      const from =
        mode === 'catch-up' && last ? last[0] + 1 : span !== undefined && this.latest ? this.latest.at - span : undefined;
      try {
        const series = await fetchSeries(this.potId, { from, points: this.pointBudget });
        if (this.stopped) return;
        if (mode === 'replace' || !last) {
          this.points = series.points;
          this.generation++;
        } else {
          for (const point of series.points) if (point[0] > this.points[this.points.length - 1]![0]) this.points.push(point);
        }
        const newest = this.points[this.points.length - 1];
        if (this.latest && (!newest || this.latest.at > newest[0])) this.append(this.latest);
        else if (newest) this.acceptLatest({ at: newest[0], amountMinor: newest[1], contributors: newest[2] });
        this.revision++;
        this.error = undefined;
      } catch (error) {
        if (this.stopped) return;
        if (error instanceof ApiError && error.status === 404) {
          this.error = 'not_found';
          return;
        }
        this.error = 'load_failed';
        this.retryTimer = setTimeout(() => void this.reload(mode), RETRY_MS);
      }
    };
    const previous = this.loading ?? Promise.resolve();
    const current = previous.then(run).finally(() => {
      if (this.loading === current) this.loading = undefined;
    });
    this.loading = current;
    return current;
  }
}

function pointAtOrBefore(points: readonly SeriesPoint[], at: number): SeriesPoint | undefined {
  let low = 0;
  let high = points.length - 1;
  let found: SeriesPoint | undefined;
  while (low <= high) {
    const middle = (low + high) >> 1;
    if (points[middle]![0] <= at) {
      found = points[middle];
      low = middle + 1;
    } else {
      high = middle - 1;
    }
  }
  return found;
}
