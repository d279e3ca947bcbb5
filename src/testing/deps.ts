import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import type { Deps } from '../deps.js';
import type { DB } from '../schema.js';
import { migrations } from '../migrations/index.js';
import { loadConfig } from '../platform/config/config.js';
import type { Dialect } from '../platform/db/database.js';
import { createTestDatabase } from '../platform/testing/db.js';
import { seedDemoBasics } from '../registry/demo-seed.service.js';

export interface TestDeps extends Deps {
  cleanup(): Promise<void>;
}

/**
 * Deps on a fresh migrated database of one dialect, with a cheap argon2 cost (tests only) and an
 * optional fixed clock. `seed` loads the demo skeleton and one user per role.
 */
export async function buildTestDeps(dialect: Dialect, opts: { seed?: boolean; now?: () => Date } = {}): Promise<TestDeps> {
  const t = await createTestDatabase<DB>(dialect, migrations);
  const base = loadConfig({ ONEGRID_SECRET: 'x'.repeat(40), ONEGRID_LOG_LEVEL: 'silent' });
  // Files (photo blobs …) go to a temp data directory of the test's own, removed with the database.
  const dataDir = mkdtempSync(join(tmpdir(), 'onegrid-data-'));
  // Many tests post hundreds of anonymous reports from one address; the limit has its own test.
  const config = {
    ...base,
    dataDir,
    database: t.config,
    argon2: { memoryCost: 1024, timeCost: 1 },
    anonymousReportRateLimit: 1_000_000,
  };
  const deps: TestDeps = {
    database: t.database,
    config,
    clock: opts.now ?? (() => new Date()),
    logger: pino({ level: 'silent' }),
    cleanup: async () => {
      await t.cleanup();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  if (opts.seed !== false) await seedDemoBasics(deps);
  return deps;
}
