import type { Page } from 'playwright-core';
import { io as connect, type Socket } from 'socket.io-client';
import { Agent, fetch as undiciFetch } from 'undici';
import type { Role } from '../../shared/accounts.js';
import {
  MODERATION_NAMESPACE,
  type ModerationClientToServerEvents,
  type ModerationServerToClientEvents,
} from '../../shared/events.js';
import { AccountAdmin } from '../../server/moderation/account-admin.js';
import type { ScryptCost } from '../../server/moderation/passwords.js';
import { totpCode } from '../../server/moderation/totp.js';
import type { TestServer } from './server.js';

/** Cheap enough for tests; stored hashes carry their cost, so verification is unchanged. */
export const FAST_SCRYPT: ScryptCost = { N: 2 ** 10, r: 8, p: 1 };

export const PASSWORD = 'correct horse battery staple';

/** A clock the tests move by hand, for session expiry and lockouts. */
export function testClock(start = Date.UTC(2026, 0, 5, 9, 0)) {
  let now = start;
  return { now: () => now, advance: (ms: number) => void (now += ms) };
}

/**
 * Adds an account as the command line does. Unless `secondFactorExempt` is false, it is never
 * asked for a second factor, so that tests about other things sign admins in with a password.
 */
export async function addUser(
  server: TestServer,
  name: string,
  role: Role,
  password = PASSWORD,
  options: { secondFactorExempt?: boolean } = {},
): Promise<void> {
  await new AccountAdmin(server.db, server.moderation.hasher).add(name, role, password, undefined, {
    secondFactorExempt: options.secondFactorExempt ?? true,
  });
}

export interface HttpAnswer {
  status: number;
  json: any;
  headers: Headers;
}

/** A browser-like caller: remembers the session cookie it was given. */
export class Client {
  cookie: string | undefined;
  csrfToken: string | undefined;
  private readonly agent: Agent | undefined;

  /**
   * `localAddress` sends from another loopback address (Linux routes all of 127/8 to lo), so
   * that a server on 127.0.0.1 sees two callers at two addresses without trusting any proxy.
   */
  constructor(
    readonly baseUrl: string,
    readonly headers: Record<string, string> = {},
    localAddress?: string,
  ) {
    this.agent = localAddress ? new Agent({ localAddress }) : undefined;
  }

  async request(
    method: string,
    path: string,
    body?: unknown,
    options: { csrf?: string | null; headers?: Record<string, string> } = {},
  ): Promise<HttpAnswer> {
    const headers: Record<string, string> = { ...this.headers, ...options.headers };
    if (body !== undefined) headers['Content-Type'] ??= 'application/json';
    if (this.cookie) headers.Cookie = this.cookie;
    const csrf = options.csrf === undefined ? this.csrfToken : options.csrf;
    if (csrf) headers['X-CSRF-Token'] = csrf;
    const init = { method, headers, body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body) };
    const response = this.agent ? await undiciFetch(`${this.baseUrl}${path}`, { ...init, dispatcher: this.agent }) : await fetch(`${this.baseUrl}${path}`, init);
    const setCookie = response.headers.get('set-cookie');
    if (setCookie) {
      const pair = setCookie.split(';')[0]!;
      this.cookie = pair.endsWith('=') ? undefined : pair;
    }
    const text = await response.text();
    let json: unknown = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = text;
    }
    return { status: response.status, json, headers: response.headers };
  }

  async signIn(name: string, password = PASSWORD, otp?: string): Promise<HttpAnswer> {
    const answer = await this.request('POST', '/api/session', { name, password, ...(otp === undefined ? {} : { otp }) }, { csrf: null });
    if (answer.status === 200) this.csrfToken = answer.json.csrfToken;
    return answer;
  }

  /** Sets up an authenticator app for the signed-in account, as an admin must before anything else. */
  async enrolAuthenticator(): Promise<void> {
    const { secret } = (await this.request('POST', '/api/account/totp')).json;
    const confirmed = await this.request('POST', '/api/account/totp/confirm', { code: totpCode(secret, Date.now()) });
    if (confirmed.status !== 200) throw new Error(`enrolment failed: ${confirmed.status} ${JSON.stringify(confirmed.json)}`);
  }
}

/** Fills and sends the page's sign-in dialog with the test password; what follows is the caller's to check. */
export async function signInThroughDialog(page: Page, name: string): Promise<void> {
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('dialog').getByRole('button', { name: 'Sign in', exact: true }).click();
}

export async function signedIn(server: TestServer, name: string, otp?: string): Promise<Client> {
  const client = new Client(server.url);
  const answer = await client.signIn(name, PASSWORD, otp);
  if (answer.status !== 200) throw new Error(`sign-in of ${name} failed: ${answer.status} ${JSON.stringify(answer.json)}`);
  return client;
}

export type ModeratorSocket = Socket<ModerationServerToClientEvents, ModerationClientToServerEvents>;

/** Opens the moderators' namespace with a client's cookie and CSRF token; rejects with the server's reason. */
export async function connectModerator(
  baseUrl: string,
  client: { cookie?: string; csrfToken?: string },
): Promise<ModeratorSocket> {
  const socket: ModeratorSocket = connect(`${baseUrl}${MODERATION_NAMESPACE}`, {
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
    extraHeaders: client.cookie ? { Cookie: client.cookie } : {},
    auth: client.csrfToken ? { csrfToken: client.csrfToken } : {},
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', (error) => {
      socket.disconnect();
      reject(error);
    });
  });
  return socket;
}
