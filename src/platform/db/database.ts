import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
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
    const db = new Kysely<DB>({ dialect: new SqliteDialect({ database: sqlite }) });
    return {
      db,
      dialect: 'sqlite',
      poolStats: () => ({ total: 1, idle: 1, waiting: 0 }),
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
    ping: async () => {
      await sql`select 1`.execute(db);
    },
    close: () => db.destroy(),
  };
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
