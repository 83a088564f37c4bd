import { z } from 'zod';
import { LANGUAGES, type Language } from './languages.js';
import { potIdSchema } from './schemas.js';

/** What an alert can be told of. */
export const ALERT_EVENTS = ['milestone', 'suggestion', 'stale', 'flag'] as const;
export type AlertEvent = (typeof ALERT_EVENTS)[number];

/** How an alert reaches people: a POST to a URL (a chat's incoming webhook, a newsroom's tool) or an e-mail. */
export const ALERT_KINDS = ['webhook', 'email'] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

/** Where a delivery stands: waiting (for its turn or its next try), done, or given up until an admin retries it. */
export const DELIVERY_STATUSES = ['pending', 'delivered', 'failed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export const MIN_ALERT_SECRET_LENGTH = 16;
/** The smallest step between two milestones: a finer one would ring at every contribution. */
export const MIN_MILESTONE_EVERY = 1;
/** The language of an alert that names none: alerts spoke English before they could choose. */
export const DEFAULT_ALERT_LANGUAGE: Language = 'en';

const webhookTargetSchema = z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }).max(2000);
const emailTargetSchema = z.email({ error: 'must be an e-mail address' }).max(320);

/** `POST /api/alerts`. */
export const createAlertSchema = z
  .strictObject({
    kind: z.enum(ALERT_KINDS, { error: 'must be webhook or email' }),
    target: z.string({ error: 'must be a URL or an e-mail address' }).trim().min(1, 'must not be empty'),
    events: z
      .array(z.enum(ALERT_EVENTS, { error: `must be one of ${ALERT_EVENTS.join(', ')}` }), { error: 'must be a list of events' })
      .min(1, 'must name at least one event')
      .max(ALERT_EVENTS.length)
      .refine((events) => new Set(events).size === events.length, 'must not name an event twice'),
    pots: z.array(potIdSchema, { error: 'must be a list of pot ids' }).min(1, 'must name at least one pot, or be left out for all pots').max(500).optional(),
    milestoneEvery: z
      .number({ error: 'must be an amount in major units' })
      .min(MIN_MILESTONE_EVERY, `must be at least ${MIN_MILESTONE_EVERY}`)
      .max(1e12)
      .optional(),
    secret: z.string().min(MIN_ALERT_SECRET_LENGTH, `must be at least ${MIN_ALERT_SECRET_LENGTH} characters`).max(200).optional(),
    lang: z.enum(LANGUAGES, { error: `must be one of ${LANGUAGES.join(', ')}` }).default(DEFAULT_ALERT_LANGUAGE),
  })
  .superRefine((alert, ctx) => {
    const target = alert.kind === 'webhook' ? webhookTargetSchema.safeParse(alert.target) : emailTargetSchema.safeParse(alert.target);
    if (!target.success) ctx.addIssue({ code: 'custom', path: ['target'], message: target.error.issues[0]!.message });
    if (alert.kind === 'email' && alert.secret !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['secret'], message: 'is for webhooks only: an e-mail is not signed' });
    }
    if (alert.milestoneEvery !== undefined && !alert.events.includes('milestone')) {
      ctx.addIssue({ code: 'custom', path: ['milestoneEvery'], message: 'needs the milestone event' });
    }
  });

export type CreateAlertInput = z.output<typeof createAlertSchema>;

/** How an alert's deliveries stand, for the admin's list. */
export interface DeliveryCounts {
  pending: number;
  delivered: number;
  failed: number;
}

/** An alert as admins list it: never its secret. */
export interface AlertView {
  id: number;
  kind: AlertKind;
  target: string;
  events: AlertEvent[];
  /** Absent: every pot. */
  pots?: string[];
  /** Major units of each pot's currency; milestones also fire at a pot's goal. */
  milestoneEvery?: number;
  /** The language its notices are written in. */
  lang: Language;
  createdBy: string;
  createdAt: number;
  deliveries: DeliveryCounts;
  /** The newest delivery that was tried and failed, if its target is failing now. */
  lastError?: string;
}

/** `POST /api/alerts`: the alert, and the webhook secret made for it, shown this once. */
export interface AlertCreated {
  alert: AlertView;
  secret?: string;
}

/** One delivery of one notice to one alert's target. */
export interface AlertDeliveryView {
  /** What receivers dedupe by (`X-Potwatch-Delivery`). */
  id: string;
  event: AlertNoticeEvent;
  potId: string | null;
  text: string;
  status: DeliveryStatus;
  attempts: number;
  createdAt: number;
  /** When it is tried next, while pending. */
  nextAttemptAt: number | null;
  deliveredAt: number | null;
  lastError: string | null;
}

/** The events a delivery can carry: those an alert subscribes to, and the admin's test. */
export type AlertNoticeEvent = AlertEvent | 'test';

interface NoticeBase {
  event: AlertNoticeEvent;
  /** Epoch ms, UTC: when it happened (for a milestone, the reading that crossed it). */
  at: number;
  /**
   * One line for people: chat tools (Slack- and Mattermost-compatible incoming webhooks) show it
   * as the message.
   */
  text: string;
}

/** A pot's name and figures, as every pot's notice carries them. */
export interface NoticePot {
  potId: string;
  potTitle: string;
  currency: string;
  /** The pot's page, with the interval when there is one. */
  url: string;
  /** Major units, as the webhook ingest takes them. */
  amount: number | null;
  contributors: number | null;
}

export interface MilestoneNotice extends NoticeBase, NoticePot {
  event: 'milestone';
  /** The threshold passed, in major units. */
  milestone: number;
  /** `goal` when the threshold is the pot's goal. */
  reached: 'step' | 'goal';
}

export interface SuggestionNotice extends NoticeBase, NoticePot {
  event: 'suggestion';
  /** `summaryFr`: the evidence in French, whatever the notice's language (absent for suggestions stored before it existed). */
  suggestion: { id: number; kind: string; from: number; to: number; score: number; summary: string; summaryFr?: string };
}

export interface StaleNotice extends NoticeBase, NoticePot {
  event: 'stale';
  reason: string;
  lastReadingAt: number | null;
}

export interface FlagNotice extends NoticeBase, NoticePot {
  event: 'flag';
  flag: { id: number; reason: string; from: number; to: number };
}

export interface TestNotice extends NoticeBase {
  event: 'test';
  potId: null;
}

/** The JSON body of a webhook delivery, and what an e-mail is written from. */
export type AlertNotice = MilestoneNotice | SuggestionNotice | StaleNotice | FlagNotice | TestNotice;

/** Headers of a webhook delivery, beside the signature (`X-Potwatch-Signature-256`, as for the ingest webhook). */
export const EVENT_HEADER = 'x-potwatch-event';
export const DELIVERY_HEADER = 'x-potwatch-delivery';
