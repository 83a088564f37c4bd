import { parse as parseSelector } from 'css-what';
import { z } from 'zod';
import { RENDER_MODES } from './managed-pots.js';
import { isKnownCurrency, majorToMinor } from './money.js';
import { potIdSchema } from './schemas.js';

/**
 * What a pot is and where its figures come from: the same schema for the pots file and for
 * pots that admins create through the API, so that both are held to the same rules.
 */

const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' });

/** RFC 6901: "/"-separated tokens, "~" only as "~0" or "~1". */
const JSON_POINTER = /^(\/([^/~]|~[01])*)*$/;

const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/;

export const MIN_WEBHOOK_SECRET_LENGTH = 16;

const webhookSecret = z.string().min(MIN_WEBHOOK_SECRET_LENGTH, `must be at least ${MIN_WEBHOOK_SECRET_LENGTH} characters`).max(500);
const staleAfterSeconds = z.number().int().min(10).max(7 * 24 * 3600).default(900);

const webhookSource = z.object({ kind: z.literal('webhook'), secret: webhookSecret, staleAfterSeconds });

/** A webhook pot created through the API may leave its secret to the server, which makes one. */
const webhookSourceInput = z.object({ kind: z.literal('webhook'), secret: webhookSecret.optional(), staleAfterSeconds });

/** What every poller shares: where, how often, how patiently, and how it introduces itself. */
const pollerFields = {
  url: httpUrl,
  timeoutSeconds: z.number().min(0.1).max(120).default(10),
  /** Longest wait between two attempts while the source keeps failing. */
  maxBackoffSeconds: z.number().min(0.1).max(86400).default(600),
  /** Extra request headers, e.g. an API token: "${TOKEN}" reads it from the environment. */
  headers: z
    .record(z.string(), z.string().max(4096))
    .superRefine((headers, ctx) => {
      const names = Object.keys(headers);
      if (names.length > 30) ctx.addIssue({ code: 'custom', message: 'must hold at most 30 headers' });
      for (const name of names.filter((candidate) => !HEADER_NAME.test(candidate))) {
        ctx.addIssue({ code: 'custom', path: [name], message: 'is not a valid HTTP header name' });
      }
    })
    .default({}),
  userAgent: z.string().trim().min(1).max(300).optional(),
  /** How the source writes numbers (BCP 47, e.g. "fr-FR"); guessed from the text when absent. */
  locale: z
    .string()
    .refine((tag) => isLocaleTag(tag), 'must be a locale such as fr-FR or en-US')
    .optional(),
};

const httpJsonSource = z.object({
  kind: z.literal('http-json'),
  everySeconds: z.number().min(0.1).max(86400).default(30),
  ...pollerFields,
  amount: z.string().regex(JSON_POINTER, 'must be a JSON Pointer such as /data/amount'),
  contributors: z.string().regex(JSON_POINTER, 'must be a JSON Pointer such as /data/count'),
  /** Whether the API gives the amount in major units (12.50) or minor units (1250). */
  amountIn: z.enum(['major', 'minor']).default('major'),
});

const cssSelector = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(500, 'must be at most 500 characters')
  .refine(isCssSelector, 'must be a CSS selector such as .amount');

/** Where a page shows its recent contributions: each `item`, and inside it the parts. */
export const contributionSelectorsSchema = z.object({
  item: cssSelector,
  name: cssSelector.optional(),
  amount: cssSelector.optional(),
  message: cssSelector.optional(),
  at: cssSelector.optional(),
});


const htmlSource = z.object({
  kind: z.literal('html'),
  everySeconds: z.number().min(0.1).max(86400).default(60),
  ...pollerFields,
  /**
   * `static`: the page as served; `browser`: the page as headless Chromium renders it, for
   * figures drawn by script; `auto` (absent): the served page, rendered only when it lacks them.
   */
  render: z.enum(RENDER_MODES, { error: `must be one of ${RENDER_MODES.join(', ')}` }).optional(),
  /** Absent: found on the page by their wording, as a reader finds them. */
  amount: cssSelector.optional(),
  contributors: cssSelector.optional(),
  /** Absent: the list is looked for on the page; `false`: contributions are not read. */
  contributions: z.union([contributionSelectorsSchema, z.literal(false)]).optional(),
});

export const REPLAY_SCENARIOS = ['police-2019', 'dettinger-2019'] as const;
export type ReplayScenario = (typeof REPLAY_SCENARIOS)[number];

const replaySource = z.object({
  kind: z.literal('replay'),
  scenario: z.enum(REPLAY_SCENARIOS),
  speed: z.number().min(1).max(1_000_000).default(600),
  /** Start over after the end, so that a demo keeps moving. */
  loop: z.boolean().default(true),
});

export const sourceConfigSchema = z.discriminatedUnion('kind', [webhookSource, httpJsonSource, htmlSource, replaySource]);

/** A source as an admin sends it: a webhook's secret may be left to the server. */
export const sourceInputSchema = z.discriminatedUnion('kind', [webhookSourceInput, httpJsonSource, htmlSource, replaySource]);

const titleSchema = z.string().trim().min(1, 'must not be empty').max(200);
const currencySchema = z.string().refine(isKnownCurrency, 'must be an ISO 4217 currency code such as EUR');
const goalSchema = z.number().positive('must be positive').max(1e13);
const platformSchema = z.string().trim().min(1).max(100);

/** Tuning of the guard that holds back implausible readings (server/ingest/guard.ts). */
const guardSchema = z.object({
  jumpFactor: z.number().min(1).max(1000).optional(),
  confirmReadings: z.number().int().min(1).max(100).optional(),
  confirmSeconds: z.number().min(0).max(86400).optional(),
  headroomAmount: z.number().min(0).max(1e12).optional(),
});

function potSchema<S extends z.ZodType>(source: S) {
  return z
    .object({
      id: potIdSchema,
      title: titleSchema,
      currency: currencySchema.default('EUR'),
      goal: goalSchema.optional(),
      /** Where the figures come from, shown as the data credit. */
      platform: platformSchema.optional(),
      source,
      guard: guardSchema.optional(),
    })
    .transform((pot, ctx) => {
      if (pot.goal === undefined) return { ...pot, goalMinor: undefined };
      const goal = majorToMinor(pot.goal, pot.currency, { round: true });
      if (!goal.ok) {
        ctx.addIssue({ code: 'custom', path: ['goal'], message: goal.reason });
        return z.NEVER;
      }
      return { ...pot, goalMinor: goal.minor };
    });
}

export const potConfigSchema = potSchema(sourceConfigSchema);

/** `POST /api/pots`. */
export const createPotSchema = potSchema(sourceInputSchema);

/**
 * `PATCH /api/pots/:id`: `goal` and `platform` set to null are removed. `source` changes the
 * fields it names (null removes one, e.g. a selector, to go back to finding the figure by
 * itself); with another `kind` it replaces the source. The result is checked whole, with
 * `sourceInputSchema`.
 */
export const updatePotSchema = z
  .object({
    title: titleSchema.optional(),
    goal: goalSchema.nullable().optional(),
    platform: platformSchema.nullable().optional(),
    source: z.record(z.string(), z.unknown(), { error: 'must be an object' }).optional(),
    paused: z.boolean({ error: 'must be true or false' }).optional(),
  })
  .strict();

/** `POST /api/sources/preview`: one poll of a source, nothing stored. */
export const previewSourceSchema = z.object({
  source: sourceInputSchema,
  /** How amounts are read (minor-unit digits); guessed from the page when absent. */
  currency: currencySchema.optional(),
});

export type SourceConfig = z.output<typeof sourceConfigSchema>;
export type SourceInput = z.output<typeof sourceInputSchema>;
export type PotConfig = z.output<typeof potConfigSchema>;
export type CreatePotInput = z.output<typeof createPotSchema>;
export type UpdatePotInput = z.output<typeof updatePotSchema>;
export type PreviewSourceInput = z.output<typeof previewSourceSchema>;
export type SourceOf<K extends SourceConfig['kind']> = Extract<SourceConfig, { kind: K }>;
export type ContributionSelectors = z.output<typeof contributionSelectorsSchema>;

/**
 * A pot without its secrets: a webhook's secret, request headers (API tokens) and what a URL
 * carries beside its address. Kept for file pots, whose secrets stay in the file, and sent to
 * processes that only serve viewers.
 */
export function withoutSecrets(pot: PotConfig): PotConfig {
  const { source } = pot;
  switch (source.kind) {
    case 'webhook': {
      const { secret: _secret, ...rest } = source;
      return { ...pot, source: rest as typeof source };
    }
    case 'html':
    case 'http-json':
      return { ...pot, source: { ...source, url: withoutCredentials(source.url), headers: {} } };
    default:
      return pot;
  }
}

/** A URL may carry an API key in its query or user part; only where it points is kept. */
export function withoutCredentials(url: string): string {
  const { origin, pathname } = new URL(url);
  return origin + pathname;
}

function isCssSelector(selector: string): boolean {
  try {
    parseSelector(selector);
    return true;
  } catch {
    return false;
  }
}

function isLocaleTag(tag: string): boolean {
  try {
    return Intl.NumberFormat.supportedLocalesOf([tag]).length === 1;
  } catch {
    return false;
  }
}
