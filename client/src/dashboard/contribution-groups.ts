import type { StoredContribution } from '../../../shared/types.js';
import { textKey } from '../../../shared/text-key.js';

/** Contributions that share a name or a message (as the detector compares them), with how often and when. */
export interface ContributionGroup {
  field: 'name' | 'message';
  /** The text as first written. */
  text: string;
  key: string;
  count: number;
  firstAt: number;
  lastAt: number;
  /** Their amounts, in minor units, for the sum and the spread. */
  amountsMinor: number[];
}

/** The names and messages that appear more than once, most repeated first. */
export function repeatedGroups(contributions: readonly StoredContribution[], minimum = 2): ContributionGroup[] {
  const groups = new Map<string, ContributionGroup>();
  for (const contribution of contributions) {
    for (const field of ['name', 'message'] as const) {
      const text = contribution[field];
      if (!text) continue;
      const key = textKey(text);
      if (!key) continue;
      const id = `${field}:${key}`;
      const group = groups.get(id) ?? { field, text, key, count: 0, firstAt: contribution.at, lastAt: contribution.at, amountsMinor: [] };
      group.count++;
      group.firstAt = Math.min(group.firstAt, contribution.at);
      group.lastAt = Math.max(group.lastAt, contribution.at);
      if (contribution.amountMinor !== undefined) group.amountsMinor.push(contribution.amountMinor);
      groups.set(id, group);
    }
  }
  return [...groups.values()].filter((group) => group.count >= minimum).sort((a, b) => b.count - a.count || a.firstAt - b.firstAt);
}
