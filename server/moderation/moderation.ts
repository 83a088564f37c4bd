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
import { KnownAddressesRepository } from '../db/known-addresses-repository.js';
import { AccountAdmin } from './account-admin.js';
import { AccountsService } from './accounts-service.js';
import { ADDRESS_LIMITS, NAME_AT_ADDRESS_LIMITS, NAME_RATE, SignInThrottle, type NameRate, type ThrottleLimits } from './login-throttle.js';
import { SecondFactors } from './second-factors.js';
import { ModerationChannel, type ModerationNamespace } from './moderation-namespace.js';
import { DEFAULT_SCRYPT_COST, PasswordHasher, type ScryptCost } from './passwords.js';
import { DEFAULT_SESSION_LIFETIMES, SessionStore, type SessionLifetimes } from './session-store.js';

export interface ModerationOptions {
  /** The clock of sessions, lockouts and records (tests move it instead of waiting). */
  now?: () => number;
  /** Lower only in tests: the stored hashes carry their cost, so they stay verifiable. */
  scryptCost?: ScryptCost;
  sessions?: Partial<SessionLifetimes>;
  /** Failures of one name from one address. */
  accountLimits?: Partial<ThrottleLimits>;
  addressLimits?: Partial<ThrottleLimits>;
  /** Password checks per name across all addresses. */
  nameRate?: Partial<NameRate>;
  /** How often moderator sockets are checked for an ended session. */
  socketSweepMs?: number;
}

/** Accounts, sessions, flags and their audit trail, wired together. */
export interface Moderation {
  users: UsersRepository;
  sessions: SessionStore;
  hasher: PasswordHasher;
  login: LoginService;
  secondFactors: SecondFactors;
  accounts: AccountsService;
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
  const secondFactors = new SecondFactors(db, users, sessions, audit, now);
  const throttle = new SignInThrottle(
    {
      nameAtAddress: { ...NAME_AT_ADDRESS_LIMITS, ...options.accountLimits },
      address: { ...ADDRESS_LIMITS, ...options.addressLimits },
      nameRate: { ...NAME_RATE, ...options.nameRate },
    },
    now,
  );
  const login = new LoginService(users, sessions, hasher, throttle, secondFactors, new KnownAddressesRepository(db), audit, logger, now);
  const accounts = new AccountsService(users, new AccountAdmin(db, hasher, now), secondFactors, sessions, hasher, audit, (ids) => {
    for (const id of ids) channel.endSession(id);
  });
  return {
    users,
    sessions,
    hasher,
    login,
    secondFactors,
    accounts,
    flags,
    audit,
    guards: createAuthGuards(sessions),
    channel,
    now,
    close: () => channel.close(),
  };
}
