import type { Logger } from 'pino';
import { MODERATION_NAMESPACE } from '../../shared/events.js';
import { MINUTE } from '../../shared/time.js';
import { AuditLog } from '../db/audit-log.js';
import type { Database } from '../db/database.js';
import { FlagsRepository } from '../db/flags-repository.js';
import { UsersRepository } from '../db/users-repository.js';
import type { PotStates } from '../live/pot-states.js';
import type { PotwatchIo } from '../live/publisher.js';
import { createAuthGuards, type AuthGuards } from './auth-guards.js';
import { FlagBroadcaster } from './flag-broadcaster.js';
import { FlagService } from './flag-service.js';
import { LoginService } from './login-service.js';
import { ACCOUNT_LIMITS, IP_LIMITS, LoginThrottle, type ThrottleLimits } from './login-throttle.js';
import { ModerationChannel, type ModerationNamespace } from './moderation-namespace.js';
import { DEFAULT_SCRYPT_COST, PasswordHasher, type ScryptCost } from './passwords.js';
import { DEFAULT_SESSION_LIFETIMES, SessionStore, type SessionLifetimes } from './session-store.js';

export interface ModerationOptions {
  /** The clock of sessions, lockouts and records (tests move it instead of waiting). */
  now?: () => number;
  /** Lower only in tests: the stored hashes carry their cost, so they stay verifiable. */
  scryptCost?: ScryptCost;
  sessions?: Partial<SessionLifetimes>;
  accountLimits?: Partial<ThrottleLimits>;
  addressLimits?: Partial<ThrottleLimits>;
  /** How often moderator sockets are checked for an ended session. */
  socketSweepMs?: number;
}

/** Accounts, sessions, flags and their audit trail, wired together. */
export interface Moderation {
  users: UsersRepository;
  sessions: SessionStore;
  hasher: PasswordHasher;
  login: LoginService;
  flags: FlagService;
  audit: AuditLog;
  guards: AuthGuards;
  channel: ModerationChannel;
  now: () => number;
  close(): void;
}

export function createModeration(
  db: Database,
  io: PotwatchIo,
  states: PotStates,
  logger: Logger,
  options: ModerationOptions = {},
): Moderation {
  const now = options.now ?? Date.now;
  const users = new UsersRepository(db);
  const sessions = new SessionStore(db, { ...DEFAULT_SESSION_LIFETIMES, ...options.sessions }, now);
  const hasher = new PasswordHasher(options.scryptCost ?? DEFAULT_SCRYPT_COST);
  void hasher.warmUp();
  const audit = new AuditLog(db, now);
  const nsp = io.of(MODERATION_NAMESPACE) as unknown as ModerationNamespace;
  const channel = new ModerationChannel(nsp, sessions, states, options.socketSweepMs ?? MINUTE);
  const flags = new FlagService(db, new FlagsRepository(db), audit, new FlagBroadcaster(io, nsp), now);
  const login = new LoginService(
    users,
    sessions,
    hasher,
    {
      account: new LoginThrottle({ ...ACCOUNT_LIMITS, ...options.accountLimits }, now),
      address: new LoginThrottle({ ...IP_LIMITS, ...options.addressLimits }, now),
    },
    audit,
    logger,
  );
  return {
    users,
    sessions,
    hasher,
    login,
    flags,
    audit,
    guards: createAuthGuards(sessions),
    channel,
    now,
    close: () => channel.close(),
  };
}
