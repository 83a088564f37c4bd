import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../server/db/database.js';
import { CLI, runCli, runCommand } from '../helpers/cli.js';
import { closeAfterTest } from '../helpers/close-after-test.js';
import { startTestServer, webhookPot } from '../helpers/server.js';
import { totpCode } from '../../server/moderation/totp.js';
import { Client } from '../helpers/moderation.js';
import { makeTempDir } from '../helpers/temp-dir.js';

describe('user accounts from the command line', () => {
  const temp = makeTempDir();
  const databasePath = path.join(temp.dir, 'potwatch.db');
  const env = { DATABASE_PATH: databasePath, POTWATCH_CONFIG: '' };

  afterAll(() => temp.remove());

  it('adds an account with the password from POTWATCH_PASSWORD, hashed at full cost, and audited', async () => {
    const added = await runCli(['user', 'add', 'alice', '--role', 'moderator'], { ...env, POTWATCH_PASSWORD: 'a long enough secret' });
    expect(added).toMatchObject({ code: 0, stdout: 'created moderator "alice"\n' });

    const db = openDatabase(databasePath);
    const stored = db.prepare('SELECT name, role, password_hash FROM users').all() as { password_hash: string }[];
    const audit = db.prepare('SELECT actor, action, target, after FROM audit').all();
    db.close();
    expect(stored).toEqual([{ name: 'alice', role: 'moderator', password_hash: expect.stringMatching(/^scrypt\$32768\$8\$3\$/) }]);
    expect(stored[0]!.password_hash).not.toContain('secret');
    expect(audit).toEqual([{ actor: 'cli', action: 'user.add', target: 'user:alice', after: '{"name":"alice","role":"moderator"}' }]);

    const server = closeAfterTest(await startTestServer({ pots: [webhookPot('alpha')] }, databasePath));
    expect((await new Client(server.url).signIn('alice', 'a long enough secret')).json.user).toEqual({ name: 'alice', role: 'moderator' });
  });

  it('asks for the password at a terminal without echoing it', async () => {
    const typed = 'typed at the terminal 42';
    const shell = `${CLI.map((part) => `'${part}'`).join(' ')} user add root --role admin`;
    const answer = await runCommand(['script', '-qec', shell, '/dev/null'], env, async (terminal) => {
      await terminal.waitFor('Password: ');
      terminal.write(`${typed}\r`);
      await terminal.waitFor('Password again: ');
      terminal.write(`${typed}\r`);
    });
    expect(answer.stdout).toContain('Password: ');
    expect(answer.stdout).toContain('created admin "root"');
    expect(answer.stdout).not.toContain(typed);
    expect(answer.code).toBe(0);
    const server = closeAfterTest(await startTestServer({ pots: [webhookPot('alpha')] }, databasePath));
    // An admin made here has no second factor yet: signed in to set one up, and nothing else.
    expect((await new Client(server.url).signIn('root', typed)).json).toMatchObject({ user: { name: 'root', role: 'admin' }, enrolmentOnly: true });
  });

  it('refuses bad requests with a message and changes nothing', async () => {
    const password = { POTWATCH_PASSWORD: 'a long enough secret' };
    const short = await runCli(['user', 'add', 'bob', '--role', 'moderator'], { ...env, POTWATCH_PASSWORD: 'short' });
    expect(short.code).toBe(1);
    expect(short.stderr).toContain('at least 12 characters');
    const role = await runCli(['user', 'add', 'bob', '--role', 'owner'], { ...env, ...password });
    expect(role.code).toBe(1);
    expect(role.stderr).toContain('moderator or admin');
    const noRole = await runCli(['user', 'add', 'bob'], { ...env, ...password });
    expect(noRole.code).toBe(2);
    expect(noRole.stderr).toContain('--role');
    const taken = await runCli(['user', 'add', 'ALICE', '--role', 'admin'], { ...env, ...password });
    expect(taken.code).toBe(1);
    expect(taken.stderr).toContain('already an account');
    const listed = await runCli(['user', 'list'], env);
    expect(listed.stdout).toBe('alice\tmoderator\nroot\tadmin\n');
  });

  it('takes a new password from the first line of piped input', async () => {
    const changed = await runCli(['user', 'passwd', 'alice'], env, async (terminal) => terminal.write('piped new password\n'));
    expect(changed.code).toBe(0);
    const server = closeAfterTest(await startTestServer({ pots: [webhookPot('alpha')] }, databasePath));
    expect((await new Client(server.url).signIn('alice', 'piped new password')).status).toBe(200);
    expect((await new Client(server.url).signIn('alice', 'a long enough secret')).status).toBe(401);
  });

  it('removes the second factors of someone who lost them: they sign in with the password and set one up again', async () => {
    const server = closeAfterTest(await startTestServer({ pots: [webhookPot('alpha')] }, databasePath));
    const root = new Client(server.url);
    await root.signIn('root', 'typed at the terminal 42');
    const { secret } = (await root.request('POST', '/api/account/totp')).json;
    expect((await root.request('POST', '/api/account/totp/confirm', { code: totpCode(secret, Date.now()) })).status).toBe(200);
    expect((await new Client(server.url).signIn('root', 'typed at the terminal 42')).json.error.code).toBe('otp_required');

    const reset = await runCli(['user', 'reset-second-factor', 'root'], env);
    expect(reset).toMatchObject({ code: 0, stdout: 'removed the second factors of "root"; its sessions are closed\n' });
    expect((await root.request('GET', '/api/session')).json.user).toBeNull();
    expect((await new Client(server.url).signIn('root', 'typed at the terminal 42')).json.enrolmentOnly).toBe(true);
  });
});
