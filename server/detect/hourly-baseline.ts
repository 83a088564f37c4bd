import { DAY, HOUR } from '../../shared/time.js';
import { CELL_MS, type Cell } from './cells.js';
import { median, pearsonAroundTrend } from './statistics.js';
import { QUIET_HOUR_SHARE } from './thresholds.js';

/** What one UTC clock hour of the pot looked like. */
interface HourSummary {
  start: number;
  contributors: number;
  exposureMs: number;
  /** Pearson dispersion per degree of freedom of its five-minute counts (1 = pure chance). */
  dispersion: number;
}

/** The hour of the day (UTC) of an instant, without building a date. */
const utcHourOf = (at: number): number => ((Math.floor(at / HOUR) % 24) + 24) % 24;

const DAYS_REMEMBERED = 7;
const HOURS_REMEMBERED = DAYS_REMEMBERED * 24;
const DISPERSION_HOURS = 48;
/**
 * Cells are learned this long after they close, so that a finding has time to be raised
 * and what it covers never teaches the baseline that it is normal.
 */
const LEARNING_DELAY_MS = 6 * HOUR;
/** Hours before this much history describe the launch, not the rhythm. */
const PROFILE_WARM_UP_MS = 6 * HOUR;
/** Hours mostly missing (poller gaps) teach nothing. */
const MIN_HOUR_EXPOSURE_MS = HOUR / 2;
const MIN_HOUR_COUNT_FOR_SPREAD = 10;
/** Contributors' worth of evidence an hour of the day needs before its share departs from average. */
const RHYTHM_PRIOR_CONTRIBUTORS = 1;
/** The rhythm is used once most hours of the day have been seen at least once. */
const MIN_KNOWN_HOURS = 18;
/** The length of a pot's night, wherever its rhythm puts it. */
const NIGHT_HOURS = 8;

/**
 * The pot's own normal, learned from its history with bounded memory: its level (rate over
 * the last 24 hours), its daily rhythm by UTC hour (so it holds in any time zone), how much
 * its counts vary beyond chance (a median over two days of hours), and its usual gift.
 * Stretches under suspicion are left out, so that they never become normal.
 */
export class HourlyBaseline {
  private readonly pending: Cell[] = [];
  private pendingHead = 0;
  private readonly hours: HourSummary[] = [];
  private readonly byHourOfDay: Array<Array<{ contributors: number; flat: number }>> = Array.from({ length: 24 }, () => []);
  private hourCells: Cell[] = [];
  private currentHour = Number.NaN;
  private firstAt = Number.NaN;
  private shares: number[] | undefined;
  private quiet: boolean[] = new Array<boolean>(24).fill(false);
  private learned = { level: Number.NaN, dispersion: Number.NaN };
  private readonly gifts = { cells: 0, contributors: 0, amount: 0, amountSquaredPerContributor: 0 };
  operations = 0;

  constructor(private readonly isSuspicious: (from: number, to: number) => boolean = () => false) {}

  /** Feeds a closed cell; cells arrive in order. */
  addCell(cell: Cell): void {
    this.pending.push(cell);
    while (this.pendingHead < this.pending.length && this.pending[this.pendingHead]!.start <= cell.start - LEARNING_DELAY_MS) {
      this.learn(this.pending[this.pendingHead++]!);
    }
    if (this.pendingHead > 64) {
      this.pending.splice(0, this.pendingHead);
      this.pendingHead = 0;
    }
  }

  /** Contributors per millisecond over the last 24 learned hours, or NaN before two hours of history. */
  level(): number {
    return this.learned.level;
  }

  /** Activity of a UTC hour of the day relative to the pot's average hour (1 = average), or NaN while unknown. */
  share(at: number): number {
    return this.shares ? this.shares[utcHourOf(at)]! : Number.NaN;
  }

  hasRhythm(): boolean {
    return this.shares !== undefined;
  }

  /**
   * Whether `at` falls in the pot's own night: the six hours in a row when its rhythm is
   * lowest, and any other hour under QUIET_HOUR_SHARE of its average. A public abroad has its
   * night elsewhere on the clock, and a pot whose evenings run late has a short night.
   */
  isQuiet(at: number): boolean {
    return this.quiet[utcHourOf(at)]! && this.knowsHour(at);
  }

  /** Whether the share of this hour of the day was measured, not filled in from its neighbours. */
  knowsHour(at: number): boolean {
    return this.byHourOfDay[utcHourOf(at)]!.length > 0;
  }

  /** Contributors per millisecond this pot usually has at `at`, from its level and rhythm. */
  expectedRate(at: number): number {
    const share = this.share(at);
    return Number.isNaN(share) ? this.learned.level : this.learned.level * share;
  }

  /** How many times pure chance this pot's five-minute counts usually vary (at least 1), or NaN while unknown. */
  dispersion(): number {
    return this.learned.dispersion;
  }

  /** The pot's average gift in minor units over its learned history, or NaN while unknown. */
  usualGift(): number {
    return this.gifts.cells >= 12 && this.gifts.contributors > 0 ? this.gifts.amount / this.gifts.contributors : Number.NaN;
  }

  /**
   * Squared coefficient of variation of single gifts. A cell's average gift over n gifts
   * varies as Var(gift) / n, so Σ n (g − ḡ)² / (cells − 1) estimates Var(gift) from the
   * totals alone, without seeing any single contribution.
   */
  usualGiftCv2(): number {
    const { cells, contributors, amount, amountSquaredPerContributor } = this.gifts;
    if (cells < 12 || amount <= 0) return Number.NaN;
    const mean = amount / contributors;
    return Math.max(0, amountSquaredPerContributor - (amount * amount) / contributors) / (cells - 1) / mean ** 2;
  }

  private learn(cell: Cell): void {
    this.operations++;
    if (Number.isNaN(this.firstAt) && cell.exposureMs > 0) this.firstAt = cell.start;
    const suspicious = this.isSuspicious(cell.start, cell.start + CELL_MS);
    if (!suspicious && !cell.gap && cell.contributors > 0) {
      this.gifts.cells++;
      this.gifts.contributors += cell.contributors;
      this.gifts.amount += cell.amountMinor;
      this.gifts.amountSquaredPerContributor += cell.amountMinor ** 2 / cell.contributors;
    }
    const hour = Math.floor(cell.start / HOUR);
    if (hour !== this.currentHour) {
      this.closeHour();
      this.currentHour = hour;
    }
    if (!suspicious) this.hourCells.push(cell);
  }

  private closeHour(): void {
    const cells = this.hourCells;
    this.hourCells = [];
    if (cells.length === 0) return;
    const start = this.currentHour * HOUR;
    let contributors = 0;
    let exposureMs = 0;
    for (const cell of cells) {
      contributors += cell.contributors;
      exposureMs += cell.exposureMs;
    }
    if (exposureMs < MIN_HOUR_EXPOSURE_MS) return;
    const summary: HourSummary = { start, contributors, exposureMs, dispersion: hourDispersion(cells, contributors) };
    this.hours.push(summary);
    if (this.hours.length > HOURS_REMEMBERED) this.hours.shift();
    this.relearn();
    this.learnRhythm(summary);
  }

  /** Once an hour, so that asking for the baseline costs nothing per reading. */
  private relearn(): void {
    let contributors = 0;
    let exposure = 0;
    const since = this.hours[this.hours.length - 1]!.start + HOUR - DAY;
    const dispersions: number[] = [];
    for (let i = this.hours.length - 1; i >= 0; i--) {
      const hour = this.hours[i]!;
      this.operations++;
      if (hour.start >= since) {
        contributors += hour.contributors;
        exposure += hour.exposureMs;
      }
      if (dispersions.length < DISPERSION_HOURS && !Number.isNaN(hour.dispersion)) dispersions.push(hour.dispersion);
    }
    this.learned = {
      level: exposure >= 2 * HOUR ? contributors / exposure : Number.NaN,
      dispersion: dispersions.length >= 3 ? Math.max(1, median(dispersions)) : Number.NaN,
    };
  }

  /**
   * Each hour of the day's share is its contributors over what a flat day at the pot's
   * level would have brought, summed over the days remembered and pulled toward 1 by a
   * few contributors' worth of prior: a small pot's empty hour is not yet a quiet hour.
   * Neighbouring hours are blended, as rhythms do not jump at o'clock.
   */
  private learnRhythm(summary: HourSummary): void {
    if (summary.start - this.firstAt < PROFILE_WARM_UP_MS) return;
    const level = this.learned.level;
    if (!(level > 0)) return;
    const days = this.byHourOfDay[utcHourOf(summary.start)]!;
    days.push({ contributors: summary.contributors, flat: level * summary.exposureMs });
    if (days.length > DAYS_REMEMBERED) days.shift();
    this.operations += 24 * DAYS_REMEMBERED;
    const known = this.byHourOfDay.filter((values) => values.length > 0).length;
    if (known < MIN_KNOWN_HOURS) return;
    const raw = fillCircular(
      this.byHourOfDay.map((values) => {
        if (values.length === 0) return Number.NaN;
        const contributors = values.reduce((sum, day) => sum + day.contributors, 0);
        const flat = values.reduce((sum, day) => sum + day.flat, 0);
        return (contributors + RHYTHM_PRIOR_CONTRIBUTORS) / (flat + RHYTHM_PRIOR_CONTRIBUTORS);
      }),
    );
    const blended = raw.map((value, hour) => 0.25 * raw[(hour + 23) % 24]! + 0.5 * value + 0.25 * raw[(hour + 1) % 24]!);
    const mean = blended.reduce((sum, value) => sum + value, 0) / 24;
    if (!(mean > 0)) return;
    const shares = blended.map((value) => value / mean);
    this.shares = shares;
    let trough = 0;
    let troughSum = Infinity;
    for (let first = 0; first < 24; first++) {
      let sum = 0;
      for (let k = 0; k < NIGHT_HOURS; k++) sum += shares[(first + k) % 24]!;
      if (sum < troughSum) {
        troughSum = sum;
        trough = first;
      }
    }
    this.quiet = shares.map((share, hour) => share <= QUIET_HOUR_SHARE || (hour - trough + 24) % 24 < NIGHT_HOURS);
  }
}

/** Hours not yet seen (or all under suspicion) take the straight line between their known neighbours. */
function fillCircular(values: number[]): number[] {
  return values.map((value, hour) => {
    if (!Number.isNaN(value)) return value;
    let before = 1;
    while (Number.isNaN(values[(hour - before + 24) % 24]!)) before++;
    let after = 1;
    while (Number.isNaN(values[(hour + after) % 24]!)) after++;
    const a = values[(hour - before + 24) % 24]!;
    const b = values[(hour + after) % 24]!;
    return a + ((b - a) * before) / (before + after);
  });
}

function hourDispersion(cells: readonly Cell[], contributors: number): number {
  if (contributors < MIN_HOUR_COUNT_FOR_SPREAD) return Number.NaN;
  const { statistic, dof } = pearsonAroundTrend(
    cells.map((cell) => cell.contributors),
    cells.map((cell) => cell.exposureMs),
  );
  return dof >= 3 ? statistic / dof : Number.NaN;
}
