import { MINUTE } from '../../shared/time.js';

/**
 * The few thresholds detection uses. Significance is the same for every pattern; each
 * pattern adds one effect size so that a huge pot's small but "significant" wobble is not
 * raised: a moderator's time goes to what is both unlikely and large.
 */

/**
 * A window becomes a finding when honest pots show one like it less than once in this many
 * pot-days (as log10: 3.5 is about 1 in 3,000). The calibration puts every kind on this
 * one scale, so one threshold serves them all.
 */
export const ALARM_SCORE = 3.5;

/**
 * Detectors report windows whose strength (−log10 of a chance) reaches this, so that the
 * calibration sees the honest tail; weaker ones are far too common to matter.
 */
export const CANDIDATE_STRENGTH = 1.3;

/**
 * Too regular: a window must be more regular than pure chance (p < 5%) to be reported at
 * all: independent donors, however many, never beat chance for long.
 */
export const BELOW_CHANCE_SURPRISE = 1.3;

/**
 * Freeze then catch-up: the freeze (nothing moved) and the catch-up (too much at once) are
 * independent pieces of evidence. Each must be unlikely on its own (p < 1/1000); together
 * (their strengths add) they must reach the alarm score like any other finding.
 */
export const MIN_PART_SURPRISE = 3;

/** Night surge: at least this many times what the pot's own rhythm predicts for those hours. */
export const SURGE_MIN_RATIO = 2;

/** The pot's quiet hours: those whose usual activity is under 60% of its average hour. */
export const QUIET_HOUR_SHARE = 0.6;

/** Sudden jump: one step adds at least this much time's worth of the rate before and after it. */
export const JUMP_MIN_WORTH_MS = 30 * MINUTE;

/** Identical small gifts: the average gift falls to at most this share of the pot's usual one. */
export const GIFT_COLLAPSE_SHARE = 1 / 3;

/**
 * Freeze: shorter stalls are page caches and display lag (a cache kept for ten minutes, then
 * a quiet minute or two by chance), not a stretch worth a look.
 */
export const MIN_FREEZE_MS = 20 * MINUTE;

/** Freeze then catch-up: the catch-up must bring back at least this share of what the freeze held back. */
export const CATCH_UP_MIN_SHARE = 0.25;

/**
 * Honest crowds drift: beyond chance, the rate of a stretch of an hour or so wanders by
 * about this share (news, time of day, the weather). A count of mean μ then varies as
 * φμ + (DRIFT·μ)², so that a big pot's wobble is never taken for a pattern.
 */
export const DRIFT = 0.2;
