import { Migrator, sql, type Kysely, type Migration, type MigrationResult } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations run on any schema, by design
type AnyKysely = Kysely<any>;

export type MigrationSet = Record<string, Migration>;

export class MigrationError extends Error {
  constructor(
    message: string,
    readonly unknown: string[] = [],
  ) {
    super(message);
    this.name = 'MigrationError';
  }
}

const provider = (migrations: MigrationSet) => ({ getMigrations: () => Promise.resolve(migrations) });

/** Names of migrations that the database says have run. */
export async function executedMigrations(db: AnyKysely): Promise<string[]> {
  try {
    const rows = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(db);
    return rows.rows.map((r) => r.name);
  } catch {
    return []; // a fresh database has no migration table yet
  }
}

/**
 * Refuses a database that has run migrations this code does not know: it was migrated by a newer
 * OneGrid, and running older code on it could corrupt data.
 */
export async function assertNotNewerThanCode(db: AnyKysely, migrations: MigrationSet): Promise<void> {
  const known = new Set(Object.keys(migrations));
  const unknown = (await executedMigrations(db)).filter((n) => !known.has(n));
  if (unknown.length > 0) {
    throw new MigrationError(
      `the database was migrated by a newer OneGrid (unknown migrations: ${unknown.join(', ')}); ` +
        'upgrade the code or restore a matching backup',
      unknown,
    );
  }
}

/** Runs every pending migration in order; returns what ran. */
export async function migrateToLatest(db: AnyKysely, migrations: MigrationSet, schema?: string): Promise<MigrationResult[]> {
  await assertNotNewerThanCode(db, migrations);
  // With a PostgreSQL schema, Kysely must be told it: it looks for its own tables across all schemas.
  const migrator = new Migrator({ db, provider: provider(migrations), ...(schema ? { migrationTableSchema: schema } : {}) });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error');
    throw new MigrationError(
      `migration ${failed?.migrationName ?? '?'} failed: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  return results ?? [];
}
