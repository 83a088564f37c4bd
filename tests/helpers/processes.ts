import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const REDIS_SERVER = process.env.REDIS_SERVER_PATH ?? '/usr/bin/redis-server';
/**
 * Node itself with tsx's loader, not the tsx command: that one runs the server as a child
 * process, so a SIGKILL would stop the wrapper and leave the server running.
 */
const SERVER_COMMAND = [process.execPath, ['--import', 'tsx', 'server/main.ts']] as const;

export interface RunningProcess {
  url: string;
  /** Everything the process wrote so far, for failure messages. */
  output(): string;
  /** SIGTERM, then SIGKILL if the process is still there 5 s later; resolves once it is gone. */
  stop(): Promise<void>;
}

/** `npm start`'s server in a process of its own. */
export interface ServerProcess extends RunningProcess {
  child: ChildProcess;
  /** Resolves with the exit code (or signal name) once the process is gone. */
  exited: Promise<number | string>;
  /** SIGKILL unless the process is gone already; resolves once it is. */
  kill(): Promise<void>;
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

interface StartedProcess {
  child: ChildProcess;
  /** The match of `ready` in the output. */
  match: RegExpExecArray;
  output: () => string;
  exited: Promise<number | string>;
}

/** Starts a process and waits until a line of its output matches `ready`. */
function startProcess(command: string, args: readonly string[], env: NodeJS.ProcessEnv, ready: RegExp, timeoutMs: number): Promise<StartedProcess> {
  const child = spawn(command, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown'));
  });
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
        resolve({ child, match, output: () => output, exited });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${command} exited (${code}) before it was ready:\n${output}`));
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

/** `npm start`'s server (server/main.ts) in a process of its own, configured by environment; resolves once it listens. */
export async function startServerProcess(env: NodeJS.ProcessEnv, timeoutMs = 30_000): Promise<ServerProcess> {
  const started = await startCommand(
    SERVER_COMMAND[0],
    SERVER_COMMAND[1],
    { LOG_LEVEL: 'info', HOST: '127.0.0.1', PORT: '0', ...env },
    /"(?:url":"(http:\/\/[^"]+)"[^\n]*"msg":"Potwatch is listening|port":(\d+)[^\n]*"msg":"Potwatch cluster is listening)"/,
    timeoutMs,
  );
  return { ...started, url: started.match[1] ?? `http://127.0.0.1:${started.match[2]}` };
}

/** `npm start` as an operator types it, and the server process it started (its pid is in the log). */
export interface NpmStart extends ServerProcess {
  serverPid: number;
}

/** Runs `npm start` (client build check included); resolves once the server it starts listens. */
export async function startNpmStart(env: NodeJS.ProcessEnv, timeoutMs = 60_000): Promise<NpmStart> {
  const started = await startCommand(
    'npm',
    ['start'],
    { LOG_LEVEL: 'info', HOST: '127.0.0.1', PORT: '0', ...env },
    /"pid":(\d+)[^\n]*"url":"(http:\/\/[^"]+)"[^\n]*"msg":"Potwatch is listening"/,
    timeoutMs,
  );
  return { ...started, url: started.match[2]!, serverPid: Number(started.match[1]) };
}

/** Whether a process of that id still exists. */
export function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Runs a command line as a process of its own and waits until its output matches `ready` (`url` left empty). */
export async function startCommand(
  command: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  ready: RegExp,
  timeoutMs = 30_000,
): Promise<ServerProcess & { match: RegExpExecArray }> {
  const { child, match, output, exited } = await startProcess(command, args, env, ready, timeoutMs);
  const kill = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
  };
  return { url: '', match, output, stop: stopper(child), child, exited, kill };
}

/** Runs the server entry expecting it to refuse to start; returns its exit code and stderr. */
export function runServerExpectingFailure(env: NodeJS.ProcessEnv): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(SERVER_COMMAND[0], SERVER_COMMAND[1], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  return new Promise((resolve) => {
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
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
