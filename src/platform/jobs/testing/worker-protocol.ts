// What the multi-process tests and their worker script (worker.ts) agree on. Test support only.
import { fileURLToPath } from 'node:url';
import type { Kysely } from 'kysely';
import type { Config } from '../../config/config.js';
import type { JobTables } from '../jobs.tables.js';

/** The worker's one argument, as JSON. */
export interface WorkerOptions {
  database: Config['database'];
  owner: string;
  pollMs: number;
  leaseMs: number;
  concurrency: number;
  /** How long the `record` handler keeps working after it has written its row. */
  workMs: number;
  /**
   * After this many runs, every further run writes its row and then hangs instead of finishing: the
   * process is then surely mid-run, with leases held, whenever the test kills it.
   */
  stallAfterRuns?: number;
}

/** One row per handler run: what the tests count. */
export interface JobRunTable {
  job_id: string;
  owner: string;
  pid: number;
  attempt: number;
  at: string;
}

export interface WorkerTables extends JobTables {
  job_run: JobRunTable;
}

export const RECORD_KIND = 'record';
export const READY_LINE = 'worker ready';
export const WORKER_SCRIPT = fileURLToPath(new URL('./worker.ts', import.meta.url));

/** Creates the table the `record` handler writes to (in the test's own schema or file). */
export async function createRunTable(db: Kysely<WorkerTables>): Promise<void> {
  await db.schema
    .createTable('job_run')
    .addColumn('job_id', 'text', (c) => c.notNull())
    .addColumn('owner', 'text', (c) => c.notNull())
    .addColumn('pid', 'integer', (c) => c.notNull())
    .addColumn('attempt', 'integer', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();
}
