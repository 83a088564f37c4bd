import type { PublicKeyCredentialCreationOptionsJSON } from '@simplewebauthn/browser';
import type { AccountSecurity, SessionView, TotpEnrolment } from '../../../../shared/accounts.js';
import { moderatorRequest } from '../../dashboard/session.svelte.js';

/** One's own account: second factors, password, sessions. */
export const accountApi = {
  security: () => moderatorRequest<AccountSecurity>('GET', '/api/account'),
  beginTotp: () => moderatorRequest<TotpEnrolment>('POST', '/api/account/totp'),
  confirmTotp: (code: string) => moderatorRequest<{ recoveryCodes: string[] }>('POST', '/api/account/totp/confirm', { code }),
  removeTotp: () => moderatorRequest<void>('DELETE', '/api/account/totp'),
  renewRecoveryCodes: () => moderatorRequest<{ recoveryCodes: string[] }>('POST', '/api/account/recovery-codes'),
  async addPasskey(label: string): Promise<AccountSecurity> {
    const options = await moderatorRequest<PublicKeyCredentialCreationOptionsJSON>('POST', '/api/account/passkeys/options');
    const { startRegistration } = await import('@simplewebauthn/browser');
    const response = await startRegistration({ optionsJSON: options });
    return moderatorRequest<AccountSecurity>('POST', '/api/account/passkeys', { response, label });
  },
  removePasskey: (id: string) => moderatorRequest<void>('DELETE', `/api/account/passkeys/${encodeURIComponent(id)}`),
  changePassword: (currentPassword: string, newPassword: string) =>
    moderatorRequest<void>('POST', '/api/account/password', { currentPassword, newPassword }),
  sessions: () => moderatorRequest<{ sessions: SessionView[] }>('GET', '/api/sessions').then((answer) => answer.sessions),
  endSession: (id: string) => moderatorRequest<void>('DELETE', `/api/sessions/${encodeURIComponent(id)}`),
  endOtherSessions: () => moderatorRequest<{ ended: number }>('DELETE', '/api/sessions'),
};
