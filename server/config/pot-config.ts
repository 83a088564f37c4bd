import { load } from 'cheerio';
import { z } from 'zod';
import { isKnownCurrency, majorToMinor } from '../../shared/money.js';
import { potIdSchema } from '../../shared/schemas.js';

const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' });

/** RFC 6901: "/"-separated tokens, "~" only as "~0" or "~1". */
const JSON_POINTER = /^(\/([^/~]|~[01])*)*$/;

const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/;

const webhookSource = z.object({
  kind: z.literal('webhook'),
  secret: z.string().min(16, 'must be at least 16 characters'),
  staleAfterSeconds: z.number().int().min(10).max(7 * 24 * 3600).default(900),
});

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

const htmlSource = z.object({
  kind: z.literal('html'),
  everySeconds: z.number().min(0.1).max(86400).default(60),
  ...pollerFields,
  amount: z.string().min(1).refine(isCssSelector, 'must be a CSS selector such as .amount'),
  contributors: z.string().min(1).refine(isCssSelector, 'must be a CSS selector such as .count'),
});

function isCssSelector(selector: string): boolean {
  try {
    load('')(selector);
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

export const REPLAY_SCENARIOS = ['police-2019'] as const;

const replaySource = z.object({
  kind: z.literal('replay'),
  scenario: z.enum(REPLAY_SCENARIOS),
  speed: z.number().min(1).max(1_000_000).default(600),
  /** Start over after the end, so that a demo keeps moving. */
  loop: z.boolean().default(true),
});

export const sourceConfigSchema = z.discriminatedUnion('kind', [webhookSource, httpJsonSource, htmlSource, replaySource]);

export const potConfigSchema = z
  .object({
    id: potIdSchema,
    title: z.string().trim().min(1, 'must not be empty').max(200),
    currency: z
      .string()
      .refine(isKnownCurrency, 'must be an ISO 4217 currency code such as EUR')
      .default('EUR'),
    goal: z.number().positive('must be positive').max(1e13).optional(),
    /** Where the figures come from, shown as the data credit. */
    platform: z.string().trim().min(1).max(100).optional(),
    source: sourceConfigSchema,
    /** Tuning of the guard that holds back implausible readings (server/ingest/guard.ts). */
    guard: z
      .object({
        jumpFactor: z.number().min(1).max(1000).optional(),
        confirmReadings: z.number().int().min(1).max(100).optional(),
        confirmSeconds: z.number().min(0).max(86400).optional(),
        headroomAmount: z.number().min(0).max(1e12).optional(),
      })
      .optional(),
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

export const potsFileSchema = z.object({
  pots: z.array(potConfigSchema).max(1000),
});

export type SourceConfig = z.output<typeof sourceConfigSchema>;
export type PotConfig = z.output<typeof potConfigSchema>;
export type SourceOf<K extends SourceConfig['kind']> = Extract<SourceConfig, { kind: K }>;
