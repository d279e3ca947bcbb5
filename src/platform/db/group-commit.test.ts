// Group commit (database.ts): concurrent writes share a transaction, each in its own savepoint; a failing
// write is rolled back alone; a caller's promise resolves only once its write is committed and visible to
// another connection. On PostgreSQL writeTransaction is a plain transaction per call: the same contract.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import { openDatabase, type Database } from './database.js';

interface T {
  item: { id: number; note: string };
}

describe('SQLite group commit', () => {
  let dir: string;
  let database: Database<T>;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'onegrid-group-'));
    database = openDatabase<T>({ dialect: 'sqlite', file: join(dir, 'g.sqlite'), synchronous: 'FULL' });
    await sql`create table item (id integer primary key, note text not null)`.execute(database.db);
  });
  afterAll(async () => {
    await database.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs concurrent writes in fewer transactions, isolates a failing one, resolves only after commit', async () => {
    const reader = new SQLite(join(dir, 'g.sqlite'), { readonly: true });
    const seen: boolean[] = [];
    const writes = Array.from({ length: 200 }, (_, i) =>
      database
        .writeTransaction(async (tx) => {
          await tx.insertInto('item').values({ id: i, note: `n${i}` }).execute();
          if (i % 50 === 7) throw new Error(`refused ${i}`);
          return i;
        })
        .then(
          (v) => {
            // Visible to another connection the moment the caller hears of it: the commit came first.
            seen.push(reader.prepare('select 1 from item where id = ?').get(v) !== undefined);
            return { ok: true as const, v };
          },
          (e: unknown) => ({ ok: false as const, e: String(e) }),
        ),
    );
    const results = await Promise.all(writes);
    reader.close();
    const failed = results.filter((r) => !r.ok);
    expect(failed.map((r) => (r.ok ? '' : r.e))).toEqual([7, 57, 107, 157].map((i) => `Error: refused ${i}`));
    expect(seen.length).toBe(196);
    expect(seen.every(Boolean)).toBe(true);
    const rows = await database.db.selectFrom('item').select('id').orderBy('id').execute();
    expect(rows.map((r) => r.id)).toEqual(Array.from({ length: 200 }, (_, i) => i).filter((i) => i % 50 !== 7));
  });

  it('shares one transaction among writes that arrive together (one fsync for many)', async () => {
    const txIds = new Set<unknown>();
    await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        database.writeTransaction(async (tx) => {
          txIds.add(tx);
          await tx.insertInto('item').values({ id: 1000 + i, note: 'batch' }).execute();
        }),
      ),
    );
    expect(txIds.size).toBeLessThan(50);
    expect(txIds.size).toBeGreaterThanOrEqual(1);
  });

  it('a write alone is not held back waiting for company', async () => {
    const t = performance.now();
    await database.writeTransaction((tx) => tx.insertInto('item').values({ id: 5000, note: 'alone' }).execute());
    expect(performance.now() - t).toBeLessThan(1000);
  });
});
