import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const BENCH_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

interface Reply {
  id: number;
  result?: unknown;
  error?: string;
}

export interface ChildOptions {
  name: string;
  args?: string[];
  env?: NodeJS.ProcessEnv;
  /** The child exits by itself after this long, whatever happens to its parent. */
  lifetimeMs: number;
  /** Extra Node flags, e.g. --expose-gc. */
  nodeFlags?: string[];
}

const running = new Set<BenchChild>();

/** A benchmark process (server or load generator) driven by request/reply over IPC. */
export class BenchChild {
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  private readonly exited: Promise<number | null>;
  private onReady: ((info: unknown) => void) | undefined;

  private constructor(
    readonly name: string,
    private readonly process: ChildProcess,
  ) {
    this.exited = new Promise((resolve) => process.once('exit', (code) => resolve(code)));
    void this.exited.then((code) => {
      running.delete(this);
      for (const { reject } of this.waiting.values()) reject(new Error(`${name} exited (code ${code})`));
      this.waiting.clear();
    });
    process.on('message', (message: Reply & { ready?: unknown }) => {
      if ('ready' in message) {
        this.onReady?.(message.ready);
        return;
      }
      const waiter = this.waiting.get(message.id);
      if (!waiter) return;
      this.waiting.delete(message.id);
      if (message.error !== undefined) waiter.reject(new Error(`${name}: ${message.error}`));
      else waiter.resolve(message.result);
    });
  }

  /** Forks `bench/<script>` under tsx and waits for it to announce itself ready (with what it reports). */
  static async start<Ready = unknown>(script: string, options: ChildOptions): Promise<{ child: BenchChild; ready: Ready }> {
    const processHandle = fork(path.join(BENCH_DIR, script), options.args ?? [], {
      execArgv: ['--import', 'tsx', ...(options.nodeFlags ?? [])],
      env: { ...process.env, ...options.env, BENCH_CHILD_LIFETIME_MS: String(options.lifetimeMs) },
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const child = new BenchChild(options.name, processHandle);
    running.add(child);
    const ready = await new Promise<Ready>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${options.name} did not start within 60 s`)), 60_000);
      child.onReady = (info) => {
        clearTimeout(timer);
        resolve(info as Ready);
      };
      void child.exited.then((code) => {
        clearTimeout(timer);
        reject(new Error(`${options.name} exited during start (code ${code})`));
      });
    });
    return { child, ready };
  }

  get pid(): number | undefined {
    return this.process.pid;
  }

  request<T = unknown>(command: string, payload?: unknown, timeoutMs = 120_000): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        reject(new Error(`${this.name}: no answer to "${command}" within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiting.set(id, {
        resolve: (value) => {
          clearTimeout(timer);
          resolve(value as T);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
      this.process.send({ id, command, payload });
    });
  }

  /** Asks the child to exit, and kills it if it has not within `graceMs`. */
  async stop(graceMs = 5000): Promise<void> {
    if (this.process.exitCode !== null || this.process.signalCode !== null) return;
    this.request('stop', undefined, graceMs).catch(() => undefined);
    const timer = setTimeout(() => this.process.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }

  kill(): void {
    this.process.kill('SIGKILL');
  }
}

/** Kills every child still running: the last resort of the overall timeout. */
export function killAllChildren(): void {
  for (const child of running) child.kill();
}
