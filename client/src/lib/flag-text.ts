import { FLAG_REASON_NAMES, type FlagReason, type PublicFlag } from '../../../shared/flags.js';
import { dateTimeFormat, zoneName } from './format.js';
import { i18n, t } from './i18n.svelte.js';

/** A flag as the chart and its list show it: a public one, or a moderator's with its draft state. */
export type ShownFlag = PublicFlag & { published?: boolean };

export function reasonText(reason: FlagReason): string {
  return FLAG_REASON_NAMES[i18n.lang][reason];
}

/** "10 Jan 2019, 00:00 – 06:00 UTC", in the viewer's time zone (or the one asked for). */
export function intervalText(from: number, to: number, timeZone?: string): string {
  return `${dateTimeFormat(timeZone).formatRange(from, to)} ${zoneName(to, timeZone)}`.trimEnd();
}

/** One line saying what was flagged and why, e.g. "10 Jan 2019, 00:00 – 06:00: Night surge (resolved)". */
export function flagText(flag: ShownFlag, timeZone?: string): string {
  const states = [
    ...(flag.resolved ? [t('flagResolved')] : []),
    ...(flag.published === false ? [t('flagDraft')] : []),
  ];
  const text = t('flagRange', { range: intervalText(flag.from, flag.to, timeZone), reason: reasonText(flag.reason) });
  return states.length ? `${text} (${states.join(', ')})` : text;
}
