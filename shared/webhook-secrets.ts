import { z } from 'zod';
import type { PotOrigin } from './managed-pots.js';

/** Longest overlap an admin may choose: a sender has a week to switch. */
export const MAX_OVERLAP_HOURS = 168;

export const rotateSecretSchema = z.object({
  overlapHours: z
    .number({ error: 'must be a number of hours' })
    .positive('must be more than 0')
    .max(MAX_OVERLAP_HOURS, `must be at most ${MAX_OVERLAP_HOURS} (a week)`)
    .default(24),
});

/** A webhook pot's secret as the admin console shows it: never the secret itself. */
export interface WebhookSecretView {
  potId: string;
  title: string;
  origin: PotOrigin;
  /** API pots only: a pots-file pot's secret is changed in the file. */
  rotatable: boolean;
  /** While the previous secret is still accepted. */
  previousRetiresAt: number | null;
}

/** `POST /api/pots/:id/secret`: the new secret, shown this once, and when the old one stops working. */
export interface SecretRotation {
  potId: string;
  secret: string;
  previousRetiresAt: number;
}
