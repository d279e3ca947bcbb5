// A server-like process for the multi-process job tests: runs one JobRunner against the database named
// in its argument until SIGTERM (then stops gracefully and exits 0) or until its parent goes away.
// Run as: node --import tsx src/platform/jobs/testing/worker.ts '<WorkerOptions as JSON>'
import { openDatabase } from '../../db/database.js';
import { jobDatabase } from '../jobs.store.js';
import { JobRunner } from '../scheduler.js';
import { READY_LINE, RECORD_KIND, type WorkerOptions, type WorkerTables } from './worker-protocol.js';

const options = JSON.parse(process.argv[2] ?? '') as WorkerOptions;
const database = openDatabase<WorkerTables>(options.database);

let runs = 0;
const runner = new JobRunner({
  database: jobDatabase(database),
  owner: options.owner,
  pollMs: options.pollMs,
  leaseMs: options.leaseMs,
  concurrency: options.concurrency,
  logger: {
    debug: () => {},
    info: () => {},
    warn: (obj, msg) => process.stderr.write(`[${options.owner}] warn ${msg} ${JSON.stringify(obj)}\n`),
    error: (obj, msg) => process.stderr.write(`[${options.owner}] error ${msg} ${JSON.stringify(obj)}\n`),
  },
  handlers: {
    // The effect first, then more work: a kill during the work leaves an effect whose job is not done,
    // which is exactly the case at-least-once delivery runs again.
    [RECORD_KIND]: async (_payload, ctx) => {
      runs++;
      await database.db
        .insertInto('job_run')
        .values({
          job_id: ctx.jobId,
          owner: options.owner,
          pid: process.pid,
          attempt: ctx.attempt,
          at: new Date().toISOString(),
        })
        .execute();
      const stall = options.stallAfterRuns !== undefined && runs > options.stallAfterRuns;
      await new Promise((r) => setTimeout(r, stall ? 10 * 60_000 : options.workMs));
    },
  },
});

let stopping = false;
async function shutdown(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  await runner.stop();
  await database.close();
  process.exit(code);
}
process.once('SIGTERM', () => void shutdown(0));
// The parent holds our stdin open; when it ends (the parent died), stop rather than linger.
process.stdin.resume();
process.stdin.once('end', () => void shutdown(0));

runner.start();
process.stdout.write(`${READY_LINE} ${options.owner} ${process.pid}\n`);
