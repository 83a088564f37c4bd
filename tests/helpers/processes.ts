import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const REDIS_SERVER = process.env.REDIS_SERVER_PATH ?? '/usr/bin/redis-server';

export interface RunningProcess {
  url: string;
  /** Everything the process wrote so far, for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

/** A free TCP port on loopback, as the kernel hands it out. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** Starts a process and waits until a line of its output matches `ready` (its match is returned). */
function startProcess(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  ready: RegExp,
  timeoutMs: number,
): Promise<{ child: ChildProcess; match: RegExpExecArray; output: () => string }> {
  const child = spawn(command, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${command} did not become ready within ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const match = ready.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({ child, match, output: () => output });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${command} exited with code ${code} before it was ready:\n${output}`));
    });
  });
}

function stopper(child: ChildProcess): () => Promise<void> {
  return () =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
      child.once('exit', () => {
        clearTimeout(killer);
        resolve();
      });
      child.kill('SIGTERM');
    });
}

/** `npm start`'s server (server/main.ts) in a process of its own, configured by environment. */
export async function startServerProcess(env: NodeJS.ProcessEnv): Promise<RunningProcess> {
  const { child, match, output } = await startProcess(
    process.execPath,
    ['--import', 'tsx', 'server/main.ts'],
    { LOG_LEVEL: 'info', HOST: '127.0.0.1', PORT: '0', ...env },
    /"(?:url":"(http:\/\/[^"]+)"[^\n]*"msg":"Potwatch is listening|port":(\d+)[^\n]*"msg":"Potwatch cluster is listening)"/,
    30_000,
  );
  const url = match[1] ?? `http://127.0.0.1:${match[2]}`;
  return { url, output, stop: stopper(child) };
}

/** A throw-away redis-server on a free loopback port, keeping nothing on disk. */
export async function startRedis(): Promise<RunningProcess> {
  if (!existsSync(REDIS_SERVER)) {
    throw new Error(`${REDIS_SERVER} is missing: install Debian's redis-server package (apt-get install redis-server), as .ci/run does`);
  }
  const port = await freePort();
  const { child, output } = await startProcess(
    REDIS_SERVER,
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--protected-mode', 'yes'],
    {},
    /Ready to accept connections/,
    10_000,
  );
  return { url: `redis://127.0.0.1:${port}`, output, stop: stopper(child) };
}
