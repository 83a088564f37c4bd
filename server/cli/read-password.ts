import type { ReadStream } from 'node:tty';
import { CliError } from './cli-verb.js';

export const PASSWORD_ENV = 'POTWATCH_PASSWORD';

/**
 * The password from POTWATCH_PASSWORD, else typed at a terminal without echo (twice, to
 * catch typos), else the first line of standard input (for scripts).
 */
export async function readPassword(env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const fromEnv = env[PASSWORD_ENV];
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  const stdin = process.stdin as ReadStream;
  if (!stdin.isTTY) return readFirstLine();
  const first = await promptHidden(stdin, 'Password: ');
  const second = await promptHidden(stdin, 'Password again: ');
  if (first !== second) throw new CliError('the two passwords differ', 1);
  return first;
}

function promptHidden(stdin: ReadStream, prompt: string): Promise<string> {
  // Echo goes off before the prompt shows, so that nothing typed after it can appear.
  stdin.setRawMode(true);
  process.stderr.write(prompt);
  stdin.setEncoding('utf8');
  stdin.resume();
  return new Promise((resolve, reject) => {
    let typed = '';
    const finish = (error?: Error) => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write('\n');
      if (error) reject(error);
      else resolve(typed);
    };
    const onData = (chunk: string) => {
      for (const char of chunk) {
        if (char === '\r' || char === '\n' || char === '\u0004') return finish();
        if (char === '\u0003') return finish(new CliError('cancelled', 130));
        if (char === '\u007f' || char === '\b') typed = [...typed].slice(0, -1).join('');
        else if (char >= ' ') typed += char;
      }
    };
    stdin.on('data', onData);
  });
}

async function readFirstLine(): Promise<string> {
  let text = '';
  for await (const chunk of process.stdin) {
    text += String(chunk);
    if (text.includes('\n')) break;
  }
  const line = text.split(/\r?\n/)[0] ?? '';
  if (line === '') throw new CliError(`no password: set ${PASSWORD_ENV} or type it at the prompt`);
  return line;
}
