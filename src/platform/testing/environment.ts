import { existsSync } from 'node:fs';

export const isCI = (): boolean => process.env.CI === 'true' || process.env.CI === '1';
export const testDatabaseUrl = (): string =>
  process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const chromiumPath = (): string => process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export async function postgresReachable(): Promise<boolean> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: testDatabaseUrl(), connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

export const chromiumAvailable = (): boolean => existsSync(chromiumPath());

export async function checkTestEnvironment(): Promise<void> {
  const pgOk = await postgresReachable();
  const chOk = chromiumAvailable();
  if (isCI()) {
    const missing = [!pgOk && `PostgreSQL at ${testDatabaseUrl()}`, !chOk && `Chromium at ${chromiumPath()}`].filter(Boolean);
    if (missing.length > 0) throw new Error(`CI=true and the test environment lacks: ${missing.join(', ')}`);
  } else {
    if (!pgOk) console.warn(`[tests] PostgreSQL not reachable at ${testDatabaseUrl()}: PostgreSQL variants are skipped (CI fails instead)`);
    if (!chOk) console.warn(`[tests] Chromium not found at ${chromiumPath()}: browser tests are skipped (CI fails instead)`);
  }
}
