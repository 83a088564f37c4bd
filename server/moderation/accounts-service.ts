import type { RegistrationResponseJSON } from '@simplewebauthn/server';
import type { AccountSecurity, Role, SessionUser, SessionView, TotpEnrolment, UserView } from '../../shared/accounts.js';
import type { AuditLog } from '../db/audit-log.js';
import type { SessionRecord } from '../db/sessions-repository.js';
import type { UserRecord, UsersRepository } from '../db/users-repository.js';
import { AccountAdmin, AccountError, requireAdmin } from './account-admin.js';
import type { PasswordHasher } from './passwords.js';
import type { RelyingParty, SecondFactors } from './second-factors.js';
import type { ActiveSession, SessionStore } from './session-store.js';

export interface UserChange {
  role?: Role | undefined;
  disabled?: boolean | undefined;
  secondFactorRequired?: boolean | undefined;
}

/**
 * What a signed-in person does with their own account (second factors, password, sessions),
 * and what an admin does with everyone's. Every ended session also has its live sockets closed.
 */
export class AccountsService {
  constructor(
    private readonly users: UsersRepository,
    private readonly admin: AccountAdmin,
    private readonly secondFactors: SecondFactors,
    private readonly sessions: SessionStore,
    private readonly hasher: PasswordHasher,
    private readonly audit: AuditLog,
    private readonly endSockets: (sessionIds: readonly string[]) => void,
  ) {}

  security(session: ActiveSession): AccountSecurity {
    return this.secondFactors.security(this.self(session));
  }

  beginTotp(session: ActiveSession): Promise<TotpEnrolment> {
    return this.secondFactors.beginTotp(this.self(session));
  }

  confirmTotp(session: ActiveSession, code: string): { recoveryCodes: string[] } {
    return this.secondFactors.confirmTotp(this.self(session), code);
  }

  removeTotp(session: ActiveSession): void {
    this.secondFactors.removeTotp(this.self(session), session.user.name);
  }

  renewRecoveryCodes(session: ActiveSession): string[] {
    return this.secondFactors.renewRecoveryCodes(this.self(session));
  }

  passkeyOptions(session: ActiveSession, rp: RelyingParty) {
    return this.secondFactors.passkeyRegistrationOptions(this.self(session), rp);
  }

  addPasskey(session: ActiveSession, response: RegistrationResponseJSON, label: string, rp: RelyingParty): Promise<void> {
    return this.secondFactors.registerPasskey(this.self(session), response, label, rp);
  }

  removePasskey(session: ActiveSession, passkeyId: string): void {
    this.secondFactors.removePasskey(this.self(session), passkeyId, session.user.name);
  }

  /** Changes one's own password, the current one checked first; every other session ends. */
  async changePassword(session: ActiveSession, current: string, next: string): Promise<void> {
    const user = this.self(session);
    if (!(await this.hasher.verify(current, user.passwordHash))) {
      throw new AccountError('the current password is wrong', 400, 'wrong_password', 'currentPassword');
    }
    this.endSockets((await this.admin.setPassword(user.name, next, user.name, session.id)).endedSessions);
  }

  sessionsOf(session: ActiveSession): SessionView[] {
    return this.sessions.ofUser(session.user.id).map((record) => view(record, session.id));
  }

  endSession(session: ActiveSession, publicId: string): void {
    const ended = this.sessions.revokeByPublicId(session.user.id, publicId);
    if (!ended) throw new AccountError('there is no such session of yours', 404, 'session_not_found', 'sid');
    this.audit.record({ actor: session.user.name, action: 'session.end', target: `user:${session.user.name}`, before: { session: publicId } });
    this.endSockets([ended]);
  }

  endOtherSessions(session: ActiveSession): number {
    const ended = this.sessions.revokeUser(session.user.id, session.id);
    this.audit.record({ actor: session.user.name, action: 'session.end_others', target: `user:${session.user.name}`, after: { ended: ended.length } });
    this.endSockets(ended);
    return ended.length;
  }

  /** Everyone's accounts, for admins. */
  listUsers(actor: SessionUser): UserView[] {
    requireAdmin(actor);
    return this.admin.list().map((user) => ({
      name: user.name,
      role: user.role,
      createdAt: user.createdAt,
      disabled: user.disabledAt !== null,
      secondFactorRequired: user.role === 'admin' ? !user.secondFactorExempt : user.secondFactorRequired,
      ...this.secondFactors.summary(user),
      sessions: this.sessions.ofUser(user.id).length,
    }));
  }

  async addUser(actor: SessionUser, input: { name: string; role: Role; password: string }): Promise<void> {
    requireAdmin(actor);
    await this.admin.add(input.name, input.role, input.password, actor.name);
  }

  changeUser(actor: SessionUser, name: string, change: UserChange): void {
    requireAdmin(actor);
    this.admin.require(name);
    if (change.role !== undefined) this.admin.setRole(name, change.role, actor.name);
    if (change.secondFactorRequired !== undefined) this.admin.setSecondFactorRequired(name, change.secondFactorRequired, actor.name);
    if (change.disabled !== undefined) this.endSockets(this.admin.setDisabled(name, change.disabled, actor.name).endedSessions);
  }

  /** An admin sets someone's password (they forgot it): their sessions end. */
  async resetPassword(actor: SessionUser, name: string, password: string): Promise<void> {
    requireAdmin(actor);
    this.endSockets((await this.admin.setPassword(name, password, actor.name)).endedSessions);
  }

  /** For someone who lost every second factor: they sign in with their password and enrol again. */
  resetSecondFactor(actor: SessionUser, name: string): void {
    requireAdmin(actor);
    this.endSockets(this.admin.resetSecondFactor(name, actor.name).endedSessions);
  }

  endSessionsOfUser(actor: SessionUser, name: string): number {
    requireAdmin(actor);
    const user = this.admin.require(name);
    const ended = this.sessions.revokeUser(user.id);
    this.audit.record({ actor: actor.name, action: 'user.sessions_end', target: `user:${user.name}`, after: { ended: ended.length } });
    this.endSockets(ended);
    return ended.length;
  }

  sessionsOfUser(actor: SessionUser, name: string): SessionView[] {
    requireAdmin(actor);
    return this.sessions.ofUser(this.admin.require(name).id).map((record) => view(record, undefined));
  }

  private self(session: ActiveSession): UserRecord {
    const user = this.users.byId(session.user.id);
    if (!user) throw new AccountError('this account no longer exists', 404, 'user_not_found');
    return user;
  }
}

function view(record: SessionRecord, currentId: string | undefined): SessionView {
  return {
    id: record.publicId,
    current: record.tokenHash === currentId,
    createdAt: record.createdAt,
    lastSeenAt: record.lastSeenAt,
    address: record.address,
    userAgent: record.userAgent,
    secondFactor: record.secondFactor,
  };
}
