/** One accepted observation of a pot's totals. */
export interface Reading {
  /** Epoch milliseconds, UTC. */
  at: number;
  /** Amount raised, as an integer count of the currency's minor unit. */
  amountMinor: number;
  contributors: number;
}

export const POT_STATUSES = ['live', 'stale', 'paused'] as const;
export type PotStatus = (typeof POT_STATUSES)[number];

export interface PotStatusInfo {
  status: PotStatus;
  /** Epoch ms of the last accepted reading, or null before the first one. */
  lastReadingAt: number | null;
  /** Why the pot is stale or paused, in plain words (e.g. "HTTP 503 from source"). */
  reason?: string;
}

/** `GET /api/pots/:id/live`: what a polling reader needs, small enough to poll through a cache. */
export interface LiveSnapshot extends PotStatusInfo {
  potId: string;
  latest: Reading | null;
}

export interface PotSourceInfo {
  kind: string;
  /** Where the figures come from, for the credit line ("Data: leetchi.com, via Potwatch"). */
  platform?: string;
  /** True when the figures are a replay of historical data, not live. */
  replay: boolean;
  /** How many times faster than real time a replay runs. */
  replaySpeed?: number;
}

export interface PotSummary extends PotStatusInfo {
  id: string;
  title: string;
  currency: string;
  /** Goal in minor units. */
  goalMinor?: number;
  /** Goal in major units, as written in the pots file. */
  goal?: number;
  latest?: Reading;
  source: PotSourceInfo;
  /** Archived by an admin: its history stays readable, it takes no more readings. */
  archived?: true;
}

export interface PotStats {
  readings: number;
  firstReadingAt: number | null;
  /** Average gift in minor units over the pot's whole life. */
  averageGiftMinor: number | null;
  /** Change over the hour before the latest reading, or null with less than an hour of data. */
  lastHour: { amountMinor: number; contributors: number } | null;
}

export interface PotDetail extends PotSummary {
  stats: PotStats;
}

/** `[at, amountMinor, contributors]`, the compact wire form of a reading. */
export type SeriesPoint = [number, number, number];

export interface SeriesResponse {
  potId: string;
  from: number;
  to: number;
  points: SeriesPoint[];
}

export interface ApiErrorBody {
  error: { code: string; message: string; field?: string };
}

/** A contribution as a platform showed or sent it; every part but the time may be missing. */
export interface StoredContribution {
  at: number;
  name?: string;
  amountMinor?: number;
  message?: string;
}

/** `GET /api/pots/:id/contributions`, newest first. */
export interface ContributionsAnswer {
  contributions: StoredContribution[];
}
