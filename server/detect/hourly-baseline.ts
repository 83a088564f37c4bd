import { DAY, HOUR } from '../../shared/time.js';
import { CELL_MS, type Cell } from './cells.js';
import { median, pearsonAroundTrend } from './statistics.js';
import { QUIET_HOUR_SHARE } from './thresholds.js';

/** What one UTC clock hour of the pot looked like. */
interface HourSummary {
  start: number;
  contributors: number;
  exposureMs: number;
  /** Pearson's statistic of its five-minute counts around their trend, and its degrees of freedom. */
  spread: { statistic: number; dof: number };
}

/** The hour of the day (UTC) of an instant, without building a date. */
const utcHourOf = (at: number): number => ((Math.floor(at / HOUR) % 24) + 24) % 24;

const DAYS_REMEMBERED = 7;
const HOURS_REMEMBERED = DAYS_REMEMBERED * 24;
/** The spread is judged over blocks of hours with at least this many degrees of freedom and contributors. */
const MIN_BLOCK_DOF = 6;
const MIN_BLOCK_CONTRIBUTORS = 20;
const DISPERSION_BLOCKS = 48;
/**
 * Cells are learned this long after they close, so that a finding has time to be raised
 * and what it covers never teaches the baseline that it is normal.
 */
const LEARNING_DELAY_MS = 6 * HOUR;
/** Hours before this much history describe the launch, not the rhythm. */
const PROFILE_WARM_UP_MS = 6 * HOUR;
/** Hours mostly missing (poller gaps) teach nothing. */
const MIN_HOUR_EXPOSURE_MS = HOUR / 2;
/** Contributors' worth of evidence an hour of the day needs before its share departs from average. */
const RHYTHM_PRIOR_CONTRIBUTORS = 1;
/** The rhythm is used once most hours of the day have been seen at least once. */
const MIN_KNOWN_HOURS = 18;
/** Trend and rhythm are fitted in turn, each from the other, this many times. */
const RHYTHM_FIT_ROUNDS = 3;
/**
 * The rhythm is fitted again every hour while the history is short, and less often as it
 * grows (every hour per this many remembered), so that learning costs the same per hour
 * after two days as after a week: a rhythm changes over days, not hours.
 */
const RHYTHM_FIT_HOURS_PER_REFIT = 48;
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
  /** How many of the remembered hours fall at each hour of the day. */
  private seenHours: number[] = new Array<number>(24).fill(0);
  private hourCells: Cell[] = [];
  private currentHour = Number.NaN;
  private firstAt = Number.NaN;
  private shares: number[] | undefined;
  private quiet: boolean[] = new Array<boolean>(24).fill(false);
  private learned = { level: Number.NaN, dispersion: Number.NaN };
  private hoursToRhythmFit = 0;
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

  /** Whether `at` falls within `hours` hours before the pot's night (or in it). */
  isNearQuiet(at: number, hours: number): boolean {
    for (let ahead = 0; ahead <= hours; ahead++) if (this.isQuiet(at + ahead * HOUR)) return true;
    return false;
  }

  /** Whether the share of this hour of the day was measured, not filled in from its neighbours. */
  knowsHour(at: number): boolean {
    return this.seenHours[utcHourOf(at)]! > 0;
  }

  /** Contributors per millisecond this pot usually has at `at`, from its level and rhythm. */
  expectedRate(at: number): number {
    const share = this.share(at);
    return Number.isNaN(share) ? this.learned.level : this.learned.level * share;
  }

  /**
   * How many times pure chance this pot's five-minute counts usually vary (at least 1), or
   * NaN while unknown: the median over blocks of hours, each with enough counts to say.
   */
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
    const summary: HourSummary = {
      start,
      contributors,
      exposureMs,
      spread: pearsonAroundTrend(
        cells.map((cell) => cell.contributors),
        cells.map((cell) => cell.exposureMs),
      ),
    };
    this.hours.push(summary);
    if (this.hours.length > HOURS_REMEMBERED) this.hours.shift();
    this.relearn();
    if (--this.hoursToRhythmFit <= 0) {
      this.learnRhythm();
      this.hoursToRhythmFit = Math.max(1, Math.round(this.hours.length / RHYTHM_FIT_HOURS_PER_REFIT));
    }
  }

  /** Once an hour, so that asking for the baseline costs nothing per reading. */
  private relearn(): void {
    let contributors = 0;
    let exposure = 0;
    const since = this.hours[this.hours.length - 1]!.start + HOUR - DAY;
    const dispersions: number[] = [];
    const block = { statistic: 0, dof: 0, contributors: 0 };
    for (let i = this.hours.length - 1; i >= 0; i--) {
      const hour = this.hours[i]!;
      this.operations++;
      if (hour.start >= since) {
        contributors += hour.contributors;
        exposure += hour.exposureMs;
      }
      if (dispersions.length >= DISPERSION_BLOCKS) {
        if (hour.start < since) break;
        continue;
      }
      if (!(hour.spread.dof > 0)) continue;
      block.statistic += hour.spread.statistic;
      block.dof += hour.spread.dof;
      block.contributors += hour.contributors;
      if (block.dof < MIN_BLOCK_DOF || block.contributors < MIN_BLOCK_CONTRIBUTORS) continue;
      dispersions.push(block.statistic / block.dof);
      block.statistic = block.dof = block.contributors = 0;
    }
    this.learned = {
      level: exposure >= 2 * HOUR ? contributors / exposure : Number.NaN,
      dispersion: dispersions.length >= 3 ? Math.max(1, median(dispersions)) : Number.NaN,
    };
  }

  /**
   * The daily rhythm, fitted jointly with the pot's trend: each hour's contributors over
   * what its level at that moment (a log-linear trend over the hours remembered, so that a
   * pot slowing down with age does not make its later hours look quiet) would have brought,
   * each hour of the day taking the geometric mean over its days (so that one evening's
   * wave does not make its hours busy) with a contributor's worth of prior (a small pot's
   * empty hour is not yet a quiet hour). Neighbouring hours are blended, as rhythms do not
   * jump at o'clock.
   */
  private learnRhythm(): void {
    const hours = this.hours.filter((hour) => hour.start - this.firstAt >= PROFILE_WARM_UP_MS);
    const seen = new Array<number>(24).fill(0);
    for (const hour of hours) seen[utcHourOf(hour.start)]!++;
    this.seenHours = seen;
    if (seen.filter((n) => n > 0).length < MIN_KNOWN_HOURS) return;
    let shares = new Array<number>(24).fill(1);
    for (let round = 0; round < RHYTHM_FIT_ROUNDS; round++) {
      const trend = logLinearTrend(hours, (hour) => shares[utcHourOf(hour.start)]!);
      const logSum = new Array<number>(24).fill(0);
      for (const hour of hours) {
        const expected = Math.exp(trend.intercept + trend.slope * (hour.start / DAY)) * hour.exposureMs;
        logSum[utcHourOf(hour.start)]! += Math.log((hour.contributors + RHYTHM_PRIOR_CONTRIBUTORS) / (expected + RHYTHM_PRIOR_CONTRIBUTORS));
      }
      this.operations += 2 * hours.length;
      const raw = fillCircular(logSum.map((sum, hod) => (seen[hod]! > 0 ? Math.exp(sum / seen[hod]!) : Number.NaN)));
      const blended = raw.map((value, hod) => 0.25 * raw[(hod + 23) % 24]! + 0.5 * value + 0.25 * raw[(hod + 1) % 24]!);
      const mean = blended.reduce((sum, value) => sum + value, 0) / 24;
      if (!(mean > 0)) return;
      shares = blended.map((value) => value / mean);
    }
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

/**
 * ln(rate) = intercept + slope × days, by least squares on the hours' log rates once their
 * share of the day is taken out, each hour weighted by its contributors (plus one).
 */
function logLinearTrend(hours: readonly HourSummary[], share: (hour: HourSummary) => number): { intercept: number; slope: number } {
  let weight = 0;
  let meanX = 0;
  let meanY = 0;
  const points = hours.map((hour) => {
    const w = hour.contributors + 1;
    const x = hour.start / DAY;
    const y = Math.log((hour.contributors + 0.5) / (share(hour) * hour.exposureMs));
    weight += w;
    meanX += w * x;
    meanY += w * y;
    return { w, x, y };
  });
  meanX /= weight;
  meanY /= weight;
  let sxx = 0;
  let sxy = 0;
  for (const { w, x, y } of points) {
    sxx += w * (x - meanX) ** 2;
    sxy += w * (x - meanX) * (y - meanY);
  }
  const slope = sxx > 0 ? sxy / sxx : 0;
  return { intercept: meanY - slope * meanX, slope };
}
