// Hot-path statements (statements.ts) behave as the query builder does, on both dialects: the same rows,
// defaults where a value is undefined, the compiled text reused per column list, and a call with the wrong
// number of parameters refused instead of binding values to the wrong columns.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql, type ColumnType, type Kysely } from 'kysely';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../testing/db.js';
import { fixedQuery, insertRow } from './statements.js';
import { randomBytesPooled } from '../ids.js';

interface T {
  thing: {
    id: string;
    name: string;
    size: number | null;
    note: ColumnType<string, string | undefined, string>;
    at: string;
  };
}

const migrations = {
  '0001_thing': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('thing')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('size', 'integer')
        .addColumn('note', 'text', (c) => c.notNull().defaultTo('none'))
        .addColumn('at', 'text', (c) => c.notNull())
        .execute();
    },
  },
};

const byName = fixedQuery('test.thing.byName', (db: Kysely<T>) =>
  db.selectFrom('thing').select(['id', 'size']).where('name', '=', '').where('size', '>=', 0).orderBy('id'),
);
const resize = fixedQuery('test.thing.resize', (db: Kysely<T>) =>
  db.updateTable('thing').set({ size: 0 }).where('id', '=', ''),
);

describe.each(DIALECTS)('hot-path statements [%s]', (dialect) => {
  let t: TestDatabase<T>;
  beforeAll(async () => {
    t = await createTestDatabase<T>(dialect, migrations);
  });
  afterAll(async () => {
    await t.cleanup();
  });

  it('inserts the rows the query builder would, with defaults for undefined values, in and out of transactions', async () => {
    const db = t.database.db;
    await insertRow(db, 'thing', {
      id: 'a',
      name: '井盖',
      size: 3,
      note: 'x',
      at: '2026-11-29T00:00:00.000Z',
    });
    await insertRow(db, 'thing', { id: 'b', name: '井盖', size: null, at: '2026-11-29T00:00:01.000Z' });
    await t.database.writeTransaction(async (tx) => {
      await insertRow(tx, 'thing', { id: 'c', name: 'O\'Brien "q"', size: 7, note: undefined, at: 'z' });
    });
    await db.insertInto('thing').values({ id: 'd', name: '井盖', size: 9, at: 'k' }).execute();
    const rows = await db.selectFrom('thing').selectAll().orderBy('id').execute();
    expect(rows.map((r) => ({ ...r, size: r.size === null ? null : Number(r.size) }))).toEqual([
      { id: 'a', name: '井盖', size: 3, note: 'x', at: '2026-11-29T00:00:00.000Z' },
      { id: 'b', name: '井盖', size: null, note: 'none', at: '2026-11-29T00:00:01.000Z' },
      { id: 'c', name: 'O\'Brien "q"', size: 7, note: 'none', at: 'z' },
      { id: 'd', name: '井盖', size: 9, note: 'none', at: 'k' },
    ]);
    // A unique violation surfaces as the driver's error, as with the builder.
    await expect(insertRow(db, 'thing', { id: 'a', name: 'again', at: 'y' })).rejects.toThrow();
  });

  it('runs a fixed query with each call’s parameters, and refuses a call with the wrong count', async () => {
    const db = t.database.db;
    expect((await byName(db, ['井盖', 4])).map((r) => r.id)).toEqual(['d']);
    expect((await byName(db, ['井盖', 0])).map((r) => r.id)).toEqual(['a', 'd']);
    await t.database.writeTransaction(async (tx) => {
      await resize(tx, [5, 'a']);
    });
    expect((await byName(db, ['井盖', 4])).map((r) => r.id)).toEqual(['a', 'd']);
    await expect(byName(db, ['井盖'])).rejects.toThrow(/compiled with 2 parameters, called with 1/);
    const text = await sql<{ n: number }>`select count(*) as n from thing where size = 5`.execute(db);
    expect(Number(text.rows[0]?.n)).toBe(1);
  });
});

describe('pooled randomness', () => {
  it('hands out fresh bytes across refills, never the same buffer twice', () => {
    const seen = new Set<string>();
    const buffers: Buffer[] = [];
    for (let i = 0; i < 2000; i++) {
      const b = randomBytesPooled(16);
      expect(b.length).toBe(16);
      buffers.push(b);
      seen.add(b.toString('hex'));
    }
    expect(seen.size).toBe(2000); // 2000 × 16 bytes spans several refills of the 4 KiB pool
    // Each is a copy: refilling the pool does not change what was handed out.
    const first = buffers[0]!.toString('hex');
    for (let i = 0; i < 600; i++) randomBytesPooled(16);
    expect(buffers[0]!.toString('hex')).toBe(first);
    expect(() => randomBytesPooled(257)).toThrow(RangeError);
  });
});
