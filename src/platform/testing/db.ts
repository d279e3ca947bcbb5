import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Config } from '../config/config.js';
import { openDatabase, ensureSchema, type Database, type Dialect } from '../db/database.js';
import { migrateToLatest, type MigrationSet } from '../db/migrate.js';
import { isCI, postgresReachable, testDatabaseUrl } from './environment.js';

const requested = (process.env.ONEGRID_TEST_DIALECTS ?? 'sqlite,postgres').split(',').map((s) => s.trim());
const pgReachable = requested.includes('postgres') ? await postgresReachable() : false;

/**
 * The dialects every store test runs on: SQLite always; PostgreSQL when reachable, and always under CI
 * (where a missing server then fails the run instead of skipping). Narrow with ONEGRID_TEST_DIALECTS.
 */
export const DIALECTS: Dialect[] = (['sqlite', 'postgres'] as const).filter(
  (d) => requested.includes(d) && (d === 'sqlite' || pgReachable || isCI()),
);

export interface TestDatabase<DB> {
  database: Database<DB>;
  config: Config['database'];
  cleanup(): Promise<void>;
}

/** A fresh, migrated database of one dialect: a temp SQLite file, or its own PostgreSQL schema. */
export async function createTestDatabase<DB>(dialect: Dialect, migrations: MigrationSet): Promise<TestDatabase<DB>> {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'onegrid-test-'));
    const config: Config['database'] = { dialect: 'sqlite', file: join(dir, 'test.sqlite'), synchronous: 'NORMAL' };
    const database = openDatabase<DB>(config);
    await migrateToLatest(database.db, migrations);
    return {
      database,
      config,
      cleanup: async () => {
        await database.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const schema = `t_${process.pid}_${randomBytes(4).toString('hex')}`;
  const config: Config['database'] = { dialect: 'postgres', url: testDatabaseUrl(), schema, poolSize: 5 };
  await ensureSchema(config);
  const database = openDatabase<DB>(config);
  await migrateToLatest(database.db, migrations, schema);
  return {
    database,
    config,
    cleanup: async () => {
      await database.close();
      await dropSchema(schema);
    },
  };
}

export async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: testDatabaseUrl() });
  await client.connect();
  try {
    await client.query(`drop schema if exists "${schema}" cascade`);
  } finally {
    await client.end();
  }
}
