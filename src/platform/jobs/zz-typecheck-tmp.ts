import { pino } from 'pino';
import type { Transaction } from 'kysely';
import type { Deps } from '../../deps.js';
import type { DB } from '../../schema.js';
import { JobRunner, defaultOwner } from './scheduler.js';
import { enqueueJob, jobDatabase } from './jobs.store.js';
export function f(deps: Deps, tx: Transaction<DB>) {
  void enqueueJob(jobDatabase({ db: tx, dialect: deps.database.dialect }), { kind: 'k', payload: 1, runAt: new Date(), maxAttempts: 3, now: new Date() });
  return new JobRunner({ database: jobDatabase(deps.database), owner: defaultOwner(), handlers: {}, logger: pino().child({ component: 'jobs' }), clock: deps.clock, pollMs: deps.config.jobs.pollMs });
}
