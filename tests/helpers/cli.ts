import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The command-line tool, as `npm run cli --` runs it. */
export const CLI = [process.execPath, '--import', 'tsx', 'server/cli/main.ts'];

export interface CommandRun {
  /** The exit code; null when the command was killed. */
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The input side of a running command, for a test that answers its prompts. */
export interface Terminal {
  write(text: string): void;
  /** Resolves once the output so far contains `text`. */
  waitFor(text: string): Promise<void>;
}

/**
 * Runs a command from the repository root with `env` added to this process's environment,
 * and resolves once it has exited (it is killed after `timeoutMs`). Its input is closed at
 * once, unless `converse` writes to it.
 */
export function runCommand(
  command: readonly string[],
  env: NodeJS.ProcessEnv = {},
  converse?: (terminal: Terminal) => Promise<void>,
  timeoutMs = 30_000,
): Promise<CommandRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(command[0]!, command.slice(1), { cwd: ROOT, env: { ...process.env, ...env }, stdio: 'pipe' });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
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
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    if (!converse) {
      child.stdin.end();
      return;
    }
    const terminal: Terminal = {
      write: (text) => child.stdin.write(text),
      waitFor: (text) => (stdout.includes(text) ? Promise.resolve() : new Promise((done) => waiting.push({ text, resolve: done }))),
    };
    // A pseudo-terminal closes when its input ends: the input stays open until the command is done.
    void converse(terminal);
  });
}

/** Runs the command-line tool with these arguments (see runCommand). */
export function runCli(args: readonly string[], env?: NodeJS.ProcessEnv, converse?: (terminal: Terminal) => Promise<void>): Promise<CommandRun> {
  return runCommand([...CLI, ...args], env, converse);
}
