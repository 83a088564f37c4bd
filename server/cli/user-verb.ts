import { ROLES } from '../../shared/accounts.js';
import { readSettings } from '../config/settings.js';
import { closeDatabase, openDatabase } from '../db/database.js';
import { AccountAdmin, AccountError } from '../moderation/account-admin.js';
import { PasswordHasher } from '../moderation/passwords.js';
import { CliError, type CliVerb } from './cli-verb.js';
import { PASSWORD_ENV, readPassword } from './read-password.js';

const USAGE = `user add NAME --role ${ROLES.join('|')} | user passwd NAME | user remove NAME | user list | user reset-second-factor NAME`;

function parseRole(args: string[]): string {
  const index = args.findIndex((arg) => arg === '--role' || arg.startsWith('--role='));
  if (index < 0) throw new CliError(`missing --role ${ROLES.join('|')}`);
  const arg = args[index]!;
  const role = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : args[index + 1];
  if (!role) throw new CliError(`--role needs a value: ${ROLES.join(' or ')}`);
  return role;
}

function nameArgument(args: string[]): string {
  const name = args.find((arg, index) => !arg.startsWith('--') && args[index - 1] !== '--role');
  if (!name) throw new CliError(`missing the account NAME\nUsage: npm run --silent cli -- ${USAGE}`);
  return name;
}

export const userVerb: CliVerb = {
  name: 'user',
  usage: 'user add NAME --role moderator|admin',
  summary: 'manage moderator and admin accounts (add, passwd, remove, list, reset-second-factor)',
  help: [
    `Also: ${USAGE.split(' | ').slice(1).join(', ')}.`,
    '',
    `The password is read from ${PASSWORD_ENV}, else asked at the terminal without echo,`,
    'else read from the first line of standard input. At least 12 characters.',
    'Changing a password or removing an account closes its open sessions.',
    'An admin added here signs in with the password, then must set up a second factor',
    '(an authenticator app or a passkey) before anything else; reset-second-factor removes',
    'the factors of someone who lost them all, who then sets one up again the same way.',
    'Every change is recorded in the audit trail. Uses DATABASE_PATH like the server.',
  ].join('\n'),

  async run(args) {
    const [action, ...rest] = args;
    const db = openDatabase(readSettings().databasePath);
    const admin = new AccountAdmin(db, new PasswordHasher());
    try {
      switch (action) {
        case 'add': {
          const name = nameArgument(rest);
          const role = parseRole(rest);
          const user = await admin.add(name, role, await readPassword());
          process.stdout.write(`created ${user.role} "${user.name}"\n`);
          return 0;
        }
        case 'passwd': {
          const name = nameArgument(rest);
          await admin.setPassword(name, await readPassword());
          process.stdout.write(`changed the password of "${name}"; its sessions are closed\n`);
          return 0;
        }
        case 'remove': {
          const name = nameArgument(rest);
          admin.remove(name);
          process.stdout.write(`removed "${name}"; its sessions are closed\n`);
          return 0;
        }
        case 'reset-second-factor': {
          const name = nameArgument(rest);
          admin.resetSecondFactor(name);
          process.stdout.write(`removed the second factors of "${name}"; its sessions are closed\n`);
          return 0;
        }
        case 'list':
          for (const user of admin.list()) process.stdout.write(`${user.name}\t${user.role}\n`);
          return 0;
        default:
          throw new CliError(`unknown action "${action ?? ''}"\nUsage: npm run --silent cli -- ${USAGE}`);
      }
    } catch (error) {
      if (error instanceof AccountError) throw new CliError(error.message, 1);
      throw error;
    } finally {
      closeDatabase(db);
    }
  },
};
