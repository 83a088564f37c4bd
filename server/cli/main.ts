import { CliError, type CliVerb } from './cli-verb.js';
import { detectVerb } from './detect-verb.js';
import { importVerb } from './import-verb.js';
import { userVerb } from './user-verb.js';

/** Each verb lives in its own file and is listed here. */
const VERBS: CliVerb[] = [importVerb, userVerb, detectVerb];

const usage = () =>
  [
    'Usage: npm run --silent cli -- <verb> [arguments]',
    '',
    'Verbs:',
    ...VERBS.map((verb) => `  ${verb.usage.padEnd(44)} ${verb.summary}`),
    '',
    'Environment: DATABASE_PATH, POTWATCH_CONFIG (as for the server).',
  ].join('\n');

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${usage()}\n`);
    return name ? 0 : 2;
  }
  const verb = VERBS.find((candidate) => candidate.name === name);
  if (!verb) {
    process.stderr.write(`potwatch: unknown verb "${name}"\n\n${usage()}\n`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(`Usage: npm run --silent cli -- ${verb.usage}\n\n${verb.help ?? verb.summary}\n`);
    return 0;
  }
  return verb.run(rest);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof CliError) {
      process.stderr.write(`potwatch: ${error.message}\n`);
      process.exitCode = error.exitCode;
      return;
    }
    process.stderr.write(`potwatch: ${(error as Error).stack ?? String(error)}\n`);
    process.exitCode = 1;
  },
);
