import { z } from 'zod';
import { MAX_PASSWORD_LENGTH, ROLES, USER_NAME_PATTERN } from './accounts.js';

const text = (max: number) => z.string({ error: 'must be a string' }).min(1, 'must not be empty').max(max, 'is too long');
const password = z.string({ error: 'must be a string' }).min(1, 'must not be empty').max(MAX_PASSWORD_LENGTH, 'is too long');
const roleSchema = z.enum(ROLES, { error: `must be one of ${ROLES.join(', ')}` });
const booleanSchema = z.boolean({ error: 'must be true or false' });
/** A TOTP code (6 digits) or a recovery code (16 characters, dashes and spaces allowed). */
const otpSchema = z.string({ error: 'must be a string' }).min(1, 'must not be empty').max(40, 'is too long');

export const loginSchema = z.object({
  name: text(64),
  password,
  otp: otpSchema.optional(),
});

export const totpConfirmSchema = z.object({ code: otpSchema });

export const passwordChangeSchema = z.object({ currentPassword: password, newPassword: password });

/** A WebAuthn answer as @simplewebauthn/browser builds it: checked in depth by the server library. */
const credentialResponseSchema = z.looseObject({
  id: z.string({ error: 'must be a string' }).max(1024, 'is too long'),
  rawId: z.string({ error: 'must be a string' }).max(1024, 'is too long'),
  type: z.literal('public-key', { error: 'must be "public-key"' }),
  response: z.looseObject({ clientDataJSON: z.string({ error: 'must be a string' }).max(16_384, 'is too long') }),
  clientExtensionResults: z.record(z.string(), z.unknown()).default({}),
});

export const passkeyRegistrationSchema = z.object({
  response: credentialResponseSchema.extend({
    response: z.looseObject({
      clientDataJSON: z.string({ error: 'must be a string' }).max(16_384, 'is too long'),
      attestationObject: z.string({ error: 'must be a string' }).max(65_536, 'is too long'),
    }),
  }),
  label: text(80).default('Passkey'),
});

export const passkeySignInSchema = z.object({
  response: credentialResponseSchema.extend({
    response: z.looseObject({
      clientDataJSON: z.string({ error: 'must be a string' }).max(16_384, 'is too long'),
      authenticatorData: z.string({ error: 'must be a string' }).max(16_384, 'is too long'),
      signature: z.string({ error: 'must be a string' }).max(16_384, 'is too long'),
    }),
  }),
});

export const newUserSchema = z.object({
  name: z.string({ error: 'must be a string' }).regex(USER_NAME_PATTERN, 'must be 1-64 letters, digits, dots, dashes, underscores or @, starting with a letter or digit'),
  role: roleSchema,
  password,
});

export const userChangeSchema = z.strictObject({
  role: roleSchema.optional(),
  disabled: booleanSchema.optional(),
  secondFactorRequired: booleanSchema.optional(),
});

export const passwordResetSchema = z.object({ password });
