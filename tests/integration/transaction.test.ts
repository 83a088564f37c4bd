import path from 'node:path';
import { afterEach, beforeEach, describe, expect, expectTypeOf, it } from 'vitest';
import { closeDatabase, openDatabase, type Database } from '../../server/db/database.js';
import { transaction } from '../../server/db/transaction.js';
import { UsersRepository } from '../../server/db/users-repository.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { waitFor } from '../helpers/wait-for.js';

const NORMAL = 1;
const FULL = 2;

describe('transaction(db, work)', () => {
  let temp: ReturnType<typeof makeTempDir>;
  let databasePath: string;
  let db: Database;
  let users: UsersRepository;
  const add = (name: string) => users.add(name, 'moderator', 'not a real hash', 0);
  const names = () => users.all().map((user) => user.name);

  beforeEach(() => {
    temp = makeTempDir();
    databasePath = path.join(temp.dir, 'potwatch.db');
    db = openDatabase(databasePath);
    users = new UsersRepository(db);
  });

  afterEach(() => {
    closeDatabase(db);
    temp.remove();
  });

  it('commits what the work wrote and returns its result, typed', () => {
    const created = transaction(db, () => [add('alice'), add('bob')].map((user) => user!.name));
    expectTypeOf(created).toEqualTypeOf<string[]>();
    expect(created).toEqual(['alice', 'bob']);
    expect(names()).toEqual(['alice', 'bob']);
  });

  it('rolls everything back and passes the error on when the work throws', () => {
    expect(() =>
      transaction(db, () => {
        add('alice');
        throw new Error('changed my mind');
      }),
    ).toThrow('changed my mind');
    expect(names()).toEqual([]);
  });

  it('inside another transaction, undoes only its own writes when it throws', () => {
    transaction(db, () => {
      add('alice');
      expect(() =>
        transaction(db, () => {
          add('bob');
          throw new Error('not bob');
        }),
      ).toThrow('not bob');
      add('carol');
    });
    expect(names()).toEqual(['alice', 'carol']);
  });

  it('takes the write lock before its first read when immediate, and only then', () => {
    const other = openDatabase(databasePath, { busyTimeoutMs: 0 });
    try {
      transaction(db, () => {
        expect(transaction(other, () => 'other process wrote', { immediate: true })).toBe('other process wrote');
      });
      transaction(
        db,
        () => {
          expect(() => transaction(other, () => 'other process wrote', { immediate: true })).toThrow(/locked/);
        },
        { immediate: true },
      );
    } finally {
      closeDatabase(other);
    }
  });

  it('commits a durable transaction with synchronous=FULL and leaves the connection at NORMAL, even when it fails', () => {
    const synchronous = () => db.pragma('synchronous', { simple: true });
    expect(transaction(db, synchronous, { durable: true })).toBe(FULL);
    expect(synchronous()).toBe(NORMAL);
    expect(transaction(db, synchronous)).toBe(NORMAL);
    expect(() =>
      transaction(
        db,
        () => {
          throw new Error('failed');
        },
        { durable: true },
      ),
    ).toThrow('failed');
    expect(synchronous()).toBe(NORMAL);
  });

  it('refuses an async callback at compile time: at run time, what follows its await escapes the transaction', async () => {
    expect(() =>
      // @ts-expect-error a Promise-returning callback is refused by the type of `transaction`
      transaction(db, async () => {
        add('before the await');
        await Promise.resolve();
        add('after the await');
      }),
    ).toThrow(/promise/);
    await waitFor(() => names().length > 0, 'the rest of the async callback');
    // The driver rolled back the part before the await; the part after it was written outside any transaction.
    expect(names()).toEqual(['after the await']);

    // @ts-expect-error so is a plain function that returns a Promise
    expect(() => transaction(db, () => Promise.resolve(1))).toThrow(/promise/);
  });
});
