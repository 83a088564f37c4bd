import type { AnnotationEvent } from '../../../shared/annotations.js';
import type { FlagEvent, ReadingEvent, StatusEvent } from '../../../shared/events.js';
import { DAY, HOUR } from '../../../shared/time.js';
import type { PotStatusInfo, PotSummary, Reading, SeriesPoint } from '../../../shared/types.js';
import { ApiError, fetchAnnotations, fetchPublicFlags, fetchSeries } from './api.js';
import { PotAnnotations } from './pot-annotations.svelte.js';
import { PotFlags } from './pot-flags.svelte.js';
import type { PotwatchSocket } from './socket.js';

export const RANGES = ['1h', '24h', 'all'] as const;
export type RangeKey = (typeof RANGES)[number];
/** How far back from the latest reading each range reaches; `all` has no limit. */
export const RANGE_MS: Record<RangeKey, number | undefined> = { '1h': HOUR, '24h': DAY, all: undefined };

const RETRY_MS = 3000;

/**
 * One pot seen live: the history over HTTP, then the socket's readings appended to it.
 * After a dropped connection it subscribes again and fetches only what it missed.
 */
export class LivePot {
  pot = $state<PotSummary | undefined>();
  latest = $state<Reading | undefined>();
  status = $state<PotStatusInfo | undefined>();
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
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private stopped = false;

  constructor(
    readonly potId: string,
    private readonly socket: PotwatchSocket,
    /** Most points worth drawing: about the chart's width in pixels. */
    private readonly pointBudget = 1000,
  ) {
    this.flags = new PotFlags(potId);
    this.annotations = new PotAnnotations(potId);
  }

  start(range: RangeKey = 'all'): () => void {
    this.range = range;
    const onReading = (event: ReadingEvent) => this.onReading(event);
    const onStatus = (event: StatusEvent) => this.onStatus(event);
    const onFlag = (event: FlagEvent) => this.flags.apply(event);
    const onAnnotation = (event: AnnotationEvent) => this.annotations.apply(event);
    const onConnect = () => this.subscribe();
    const onDisconnect = () => (this.connected = false);
    this.socket.on('reading', onReading);
    this.socket.on('status', onStatus);
    this.socket.on('flag', onFlag);
    this.socket.on('annotation', onAnnotation);
    this.socket.on('connect', onConnect);
    this.socket.on('disconnect', onDisconnect);
    if (this.socket.connected) this.subscribe();
    // The whole history needs nothing from the subscription: fetch it while the socket connects.
    else if (range === 'all') void this.reload('replace');
    return () => {
      this.stopped = true;
      clearTimeout(this.retryTimer);
      this.socket.off('reading', onReading);
      this.socket.off('status', onStatus);
      this.socket.off('flag', onFlag);
      this.socket.off('annotation', onAnnotation);
      this.socket.off('connect', onConnect);
      this.socket.off('disconnect', onDisconnect);
      if (this.socket.connected) this.socket.emit('unsubscribe', { potId: this.potId });
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

  private subscribe(): void {
    this.connected = true;
    this.socket.emit('subscribe', { potId: this.potId }, (answer) => {
      if (this.stopped) return;
      if (!answer.ok) {
        this.error = answer.error.code === 'pot_not_found' ? 'not_found' : 'load_failed';
        return;
      }
      this.error = undefined;
      this.pot = answer.pot;
      this.status = { status: answer.pot.status, lastReadingAt: answer.pot.lastReadingAt, reason: answer.pot.reason };
      const last = this.points[this.points.length - 1];
      const rewritten = answer.latest !== null && last !== undefined && answer.latest.at < last[0];
      if (rewritten) this.latest = answer.latest ?? undefined;
      else if (answer.latest) this.acceptLatest(answer.latest);
      void this.reload((this.points.length === 0 && !this.loading) || rewritten ? 'replace' : 'catch-up');
      void this.loadMarks();
    });
  }

  /** After each (re)subscription: changes missed while disconnected are not replayed. */
  private async loadMarks(): Promise<void> {
    // The chart is still right without its shading and context; the next reconnection tries again.
    await Promise.all([
      this.flags.load(async () => (await fetchPublicFlags(this.potId)).flags).catch(() => undefined),
      this.annotations.load(async () => (await fetchAnnotations(this.potId)).annotations).catch(() => undefined),
    ]);
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
