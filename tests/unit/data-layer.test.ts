import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { driverUses, type DriverUse } from '../helpers/driver-uses.js';
import { REPOSITORY_ROOT, sourceFilesUnder } from '../helpers/import-graph.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const DATA_LAYER = path.join(REPOSITORY_ROOT, 'server', 'db') + path.sep;
const TRANSACTION_HELPER = path.join(DATA_LAYER, 'transaction.ts');

const where = (root: string) => (use: DriverUse) => `${path.relative(root, use.file)}:${use.line}: ${use.code}`;

describe('one data layer', () => {
  let uses: DriverUse[] = [];
  beforeAll(() => {
    const files = ['server', 'client', 'shared', 'bench'].flatMap((folder) => sourceFilesUnder(path.join(REPOSITORY_ROOT, folder)));
    expect(files.length).toBeGreaterThan(100);
    uses = driverUses(files);
  });

  it('only server/db/ touches the SQLite driver: the rest of the server, the client, shared/ and bench/ call its repositories', () => {
    expect(uses.filter((use) => use.file.startsWith(DATA_LAYER)).length).toBeGreaterThan(50);
    expect(uses.filter((use) => !use.file.startsWith(DATA_LAYER)).map(where(REPOSITORY_ROOT))).toEqual([]);
  });

  it('within server/db/, every transaction goes through transaction(), whose type refuses an async callback', () => {
    const transactions = uses.filter((use) => use.names.includes('transaction'));
    expect(transactions.filter((use) => use.file !== TRANSACTION_HELPER).map(where(REPOSITORY_ROOT))).toEqual([]);
    expect(transactions.map((use) => use.code)).toEqual(['const run = db.transaction(work);']);
  });

  describe('the scan, on files that break the rule', () => {
    const temp = makeTempDir('potwatch-driver-uses-');
    afterAll(() => temp.remove());
    const write = (name: string, lines: string[]) => {
      writeFileSync(path.join(temp.dir, name), `${lines.join('\n')}\n`);
      return path.join(temp.dir, name);
    };
    const database = path.join(REPOSITORY_ROOT, 'server/db/database.js');
    const transaction = path.join(REPOSITORY_ROOT, 'server/db/transaction.js');

    it('finds each call of the driver through a database handle, and neither a RegExp nor the transaction helper', () => {
      const file = write('service.ts', [
        `import type { Database } from '${database}';`,
        `import { transaction } from '${transaction}';`,
        'const SESSION = /sid=(\\w+)/;',
        'export function count(db: Database): number {',
        "  const session = SESSION.exec('sid=abc');",
        '  transaction(db, () => session?.[1]);',
        "  const { n } = db.prepare('SELECT count(*) AS n FROM readings').get() as { n: number };",
        "  db.pragma('synchronous = FULL');",
        "  db.exec('VACUUM');",
        '  const write = db.transaction(() => n);',
        '  write();',
        '  const { open } = db;',
        '  db.close();',
        '  return open ? n : 0;',
        '}',
      ]);
      expect(driverUses([file]).map(where(temp.dir))).toEqual([
        "service.ts:7: const { n } = db.prepare('SELECT count(*) AS n FROM readings').get() as { n: number };",
        "service.ts:8: db.pragma('synchronous = FULL');",
        "service.ts:9: db.exec('VACUUM');",
        'service.ts:10: const write = db.transaction(() => n);',
        'service.ts:12: const { open } = db;',
        'service.ts:13: db.close();',
      ]);
    });

    it('finds imports of the driver: type-only, dynamic, and in a Svelte component', () => {
      const typeOnly = write('types.ts', ['export const one = 1;', "import type { Statement } from 'better-sqlite3';", 'export type Query = Statement;']);
      const dynamic = write('lazy.ts', ["export const load = () => import('better-sqlite3');"]);
      const component = write('Panel.svelte', [
        '<h1>Pots</h1>',
        '<script lang="ts">',
        "  import Database from 'better-sqlite3';",
        "  const db = new Database(':memory:');",
        '</script>',
        '<p>{db.name}</p>',
      ]);
      expect(driverUses([typeOnly, dynamic, component]).map(where(temp.dir))).toEqual([
        "types.ts:2: import type { Statement } from 'better-sqlite3';",
        "lazy.ts:1: export const load = () => import('better-sqlite3');",
        "Panel.svelte:3: import Database from 'better-sqlite3';",
      ]);
    });
  });
});
