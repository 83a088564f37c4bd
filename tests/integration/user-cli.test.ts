import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../server/db/database.js';
import { closeAfterTest } from '../helpers/close-after-test.js';
import { startTestServer, webhookPot } from '../helpers/server.js';
import { Client } from '../helpers/moderation.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const CLI = [process.execPath, '--import', 'tsx', 'server/cli/main.ts'];

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

interface Terminal {
  write(text: string): void;
  /** Resolves once the output so far contains `text`. */
  waitFor(text: string): Promise<void>;
}

function run(command: string[], env: Record<string, string>, converse?: (terminal: Terminal) => Promise<void>): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command[0]!, command.slice(1), { cwd: ROOT, env: { ...process.env, ...env }, stdio: 'pipe' });
    let stdout = '';
    let stderr = '';
    const waiting: Array<{ text: string; resolve: () => void }> = [];
    child.stdout.on('data', (chunk) => {
      stdout += String(chunk);
      for (const waiter of waiting.filter((candidate) => stdout.includes(candidate.text))) {
        waiting.splice(waiting.indexOf(waiter), 1);
        waiter.resolve();
      }
    });
    child.stderr.on('data', (chunk) => (stderr += String(chunk)));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    if (!converse) {
      child.stdin.end();
      return;
    }
    const terminal: Terminal = {
      write: (text) => child.stdin.write(text),
      waitFor: (text) =>
        stdout.includes(text) ? Promise.resolve() : new Promise((done) => waiting.push({ text, resolve: done })),
    };
    // The pty closes when its input ends: keep it open until the command is done.
    void converse(terminal);
  });
}

describe('user accounts from the command line', () => {
  const temp = makeTempDir();
  const databasePath = path.join(temp.dir, 'potwatch.db');
  const env = { DATABASE_PATH: databasePath, POTWATCH_CONFIG: '' };
  afterAll(() => temp.remove());

  it('adds an account with the password from POTWATCH_PASSWORD, hashed at full cost, and audited', async () => {
    const added = await run([...CLI, 'user', 'add', 'alice', '--role', 'moderator'], { ...env, POTWATCH_PASSWORD: 'a long enough secret' });
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
    const answer = await run(['script', '-qec', shell, '/dev/null'], env, async (terminal) => {
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
    expect((await new Client(server.url).signIn('root', typed)).json.user).toEqual({ name: 'root', role: 'admin' });
  });

  it('refuses bad requests with a message and changes nothing', async () => {
    const password = { POTWATCH_PASSWORD: 'a long enough secret' };
    const short = await run([...CLI, 'user', 'add', 'bob', '--role', 'moderator'], { ...env, POTWATCH_PASSWORD: 'short' });
    expect(short.code).toBe(1);
    expect(short.stderr).toContain('at least 12 characters');
    const role = await run([...CLI, 'user', 'add', 'bob', '--role', 'owner'], { ...env, ...password });
    expect(role.code).toBe(1);
    expect(role.stderr).toContain('moderator or admin');
    const noRole = await run([...CLI, 'user', 'add', 'bob'], { ...env, ...password });
    expect(noRole.code).toBe(2);
    expect(noRole.stderr).toContain('--role');
    const taken = await run([...CLI, 'user', 'add', 'ALICE', '--role', 'admin'], { ...env, ...password });
    expect(taken.code).toBe(1);
    expect(taken.stderr).toContain('already an account');
    const listed = await run([...CLI, 'user', 'list'], env);
    expect(listed.stdout).toBe('alice\tmoderator\nroot\tadmin\n');
  });

  it('takes a new password from the first line of piped input', async () => {
    const changed = await run([...CLI, 'user', 'passwd', 'alice'], env, async (terminal) => terminal.write('piped new password\n'));
    expect(changed.code).toBe(0);
    const server = closeAfterTest(await startTestServer({ pots: [webhookPot('alpha')] }, databasePath));
    expect((await new Client(server.url).signIn('alice', 'piped new password')).status).toBe(200);
    expect((await new Client(server.url).signIn('alice', 'a long enough secret')).status).toBe(401);
  });
});
