import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, sql, type Transaction } from 'kysely';
import pg from 'pg';
import type { Config } from '../config/config.js';

export type Dialect = 'sqlite' | 'postgres';

export interface PoolStats {
  total: number;
  idle: number;
  waiting: number;
}

/** An open database: the Kysely handle plus what the platform needs to know about the dialect. */
export interface Database<DB> {
  readonly db: Kysely<DB>;
  readonly dialect: Dialect;
  /** The PostgreSQL schema in use, if any (tests run each in their own). */
  readonly schema?: string;
  poolStats(): PoolStats;
  /**
   * Runs `work` in a write transaction and resolves once it is durably committed. On SQLite, concurrent
   * callers share one transaction and one fsync (group commit, see GroupCommit); on PostgreSQL each gets
   * its own transaction from the pool.
   */
  writeTransaction<T>(work: (tx: Transaction<DB>) => Promise<T>): Promise<T>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

// Postgres returns int8/numeric as strings by default; our counts and sums fit in a double.
pg.types.setTypeParser(20, (v) => Number(v));
pg.types.setTypeParser(1700, (v) => Number(v));

/**
 * Opens the database the configuration names. SQLite runs in WAL mode with foreign keys on and a busy
 * timeout. synchronous=FULL by default: a commit is fsynced to the WAL before it returns, so an
 * acknowledged write survives a process kill and an OS crash or power loss; NORMAL survives a process
 * kill but may lose the last commits on power loss (ONEGRID_SQLITE_SYNCHRONOUS=NORMAL to trade that for
 * speed).
 */
export function openDatabase<DB>(database: Config['database']): Database<DB> {
  if (database.dialect === 'sqlite') {
    mkdirSync(dirname(database.file), { recursive: true });
    const sqlite = new SQLite(database.file);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma(`synchronous = ${database.synchronous}`);
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
    // 64 MiB of page cache instead of SQLite's 2 MiB: a report touches a dozen B-trees (report, case and
    // their indexes, the audit chain), and with the small cache their pages are read back from the OS on
    // every write (intake bench: inserts about half as costly with the larger cache).
    sqlite.pragma('cache_size = -65536');
    const db = new Kysely<DB>({ dialect: new SqliteDialect({ database: cachingStatements(sqlite) }) });
    const group = new GroupCommit<DB>(db);
    return {
      db,
      dialect: 'sqlite',
      poolStats: () => ({ total: 1, idle: 1, waiting: group.waiting }),
      writeTransaction: (work) => group.run(work),
      ping: async () => {
        await sql`select 1`.execute(db);
      },
      close: () => db.destroy(),
    };
  }
  const schema = database.schema;
  const pool = new pg.Pool({
    connectionString: database.url,
    max: database.poolSize,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    dialect: 'postgres',
    ...(schema ? { schema } : {}),
    poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
    writeTransaction: (work) => db.transaction().execute(work),
    ping: async () => {
      await sql`select 1`.execute(db);
    },
    close: () => db.destroy(),
  };
}

/**
 * better-sqlite3 behind Kysely prepares every statement anew; Kysely emits the same SQL text for the same
 * query shape, so caching prepared statements by text saves the parse and plan on every hot query. A
 * statement still iterating (a streamed query) is busy and cannot be shared: such a caller gets a fresh one.
 */
function cachingStatements(sqlite: SQLite.Database): {
  close(): void;
  prepare(text: string): SQLite.Statement;
} {
  const cache = new Map<string, SQLite.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(text) {
      const hit = cache.get(text);
      if (hit && !hit.busy) return hit;
      const stmt = sqlite.prepare(text);
      if (!hit) {
        // Query shapes are finite, but a caller building SQL with inlined values would grow the map forever.
        if (cache.size >= 2000) cache.clear();
        cache.set(text, stmt);
      }
      return stmt;
    },
  };
}

interface PendingWrite<DB> {
  work: (tx: Transaction<DB>) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit for SQLite. SQLite has one writer, and with synchronous=FULL every commit waits for an fsync
 * (milliseconds), which caps one-transaction-per-request at a few hundred writes per second. Here the writes
 * that arrive while a transaction is being committed wait together, and the next transaction runs them all,
 * each inside its own SAVEPOINT: one that throws is rolled back to its savepoint alone and rejected, the
 * others stay; then ONE commit (one fsync) makes the whole batch durable, and only then does any caller's
 * promise resolve. So an acknowledged write is on disk, exactly as with a transaction per request, and a
 * caller never sees another's failure — except a failed commit (disk full, I/O error), which rejects the
 * whole batch because none of it is stored. A lone write is not delayed: the batch is whatever is waiting.
 */
class GroupCommit<DB> {
  private queue: PendingWrite<DB>[] = [];
  private scheduled = false;

  constructor(
    private readonly db: Kysely<DB>,
    private readonly maxBatch = 256,
  ) {}

  get waiting(): number {
    return this.queue.length;
  }

  run<T>(work: (tx: Transaction<DB>) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ work, resolve: resolve as (v: unknown) => void, reject });
      this.schedule();
    });
  }

  /**
   * better-sqlite3 is synchronous: a batch started at once would run to its commit inside the first caller's
   * microtasks, before the event loop has read the other requests, and every batch would hold one write.
   * Starting it with setImmediate — after the poll phase has parsed every request that arrived — lets all
   * of them join; a lone write waits one turn of the loop, well under a millisecond.
   */
  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => void this.drain());
  }

  private async drain(): Promise<void> {
    try {
      {
        const batch = this.queue.splice(0, this.maxBatch);
        const outcomes: Array<{ ok: true; value: unknown } | { ok: false; error: unknown }> = [];
        try {
          await this.db.transaction().execute(async (tx) => {
            for (const item of batch) {
              await sql`savepoint group_write`.execute(tx);
              try {
                const value = await item.work(tx);
                await sql`release group_write`.execute(tx);
                outcomes.push({ ok: true, value });
              } catch (error) {
                await sql`rollback to group_write`.execute(tx);
                await sql`release group_write`.execute(tx);
                outcomes.push({ ok: false, error });
              }
            }
          });
        } catch (commitError) {
          for (const item of batch) item.reject(commitError);
          return;
        }
        batch.forEach((item, i) => {
          const o = outcomes[i];
          if (o?.ok) item.resolve(o.value);
          else item.reject(o ? o.error : new Error('group commit: no outcome'));
        });
      }
    } finally {
      this.scheduled = false;
      // Writes that arrived meanwhile go in the next batch, after the loop has read what else is waiting.
      if (this.queue.length > 0) this.schedule();
    }
  }
}

/** Creates the configured PostgreSQL schema when it does not exist yet (no-op for SQLite). */
export async function ensureSchema(database: Config['database']): Promise<void> {
  if (database.dialect !== 'postgres' || !database.schema) return;
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    await client.query(`create schema if not exists "${database.schema}"`);
  } finally {
    await client.end();
  }
}
