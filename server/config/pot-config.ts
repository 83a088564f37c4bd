import { z } from 'zod';
import { isKnownCurrency, majorToMinor } from '../../shared/money.js';
import { potIdSchema } from '../../shared/schemas.js';

const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' });

const webhookSource = z.object({
  kind: z.literal('webhook'),
  secret: z.string().min(16, 'must be at least 16 characters'),
  staleAfterSeconds: z.number().int().min(10).max(7 * 24 * 3600).default(900),
});

const httpJsonSource = z.object({
  kind: z.literal('http-json'),
  url: httpUrl,
  everySeconds: z.number().min(0.1).max(86400).default(30),
  timeoutSeconds: z.number().min(0.1).max(120).default(10),
  amount: z.string().regex(/^(\/[^/]*)*$/, 'must be a JSON Pointer such as /data/amount'),
  contributors: z.string().regex(/^(\/[^/]*)*$/, 'must be a JSON Pointer such as /data/count'),
});

const htmlSource = z.object({
  kind: z.literal('html'),
  url: httpUrl,
  everySeconds: z.number().min(0.1).max(86400).default(60),
  timeoutSeconds: z.number().min(0.1).max(120).default(10),
  amount: z.string().min(1, 'must be a CSS selector'),
  contributors: z.string().min(1, 'must be a CSS selector'),
});

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
