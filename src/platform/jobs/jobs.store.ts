import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { Dialect } from '../db/database.js';
import { newId } from '../ids.js';
import { JOB_STATUSES, SLOT_KEY_PREFIX, type Job, type JobStatus } from './jobs.js';
import type { JobTable, JobTables } from './jobs.tables.js';

/**
 * What the job store needs of a database: the handle, typed to the job table, and the dialect (the claim
 * differs). Build one from the app's database with `jobDatabase(deps.database)`.
 */
export interface JobDatabase {
  readonly db: Kysely<JobTables>;
  readonly dialect: Dialect;
}

/**
 * Narrows a database, or a transaction on one (`{ db: trx, dialect }`), whose schema includes the job
 * table to what the job store needs. Enqueue inside the transaction of the business write it follows
 * from, and the job exists exactly when that write commits; claiming opens its own transaction, so it
 * needs the database itself.
 */
export function jobDatabase<DB extends JobTables>(database: {
  db: Kysely<DB> | Transaction<DB>;
  dialect: Dialect;
}): JobDatabase {
  // Kysely<DB> is not assignable to Kysely<JobTables> (its type parameter is invariant), but every query
  // here touches only the `job` table, which DB is constrained to contain.
  return { db: database.db as unknown as Kysely<JobTables>, dialect: database.dialect };
}

function toJob(row: Selectable<JobTable>): Job {
  return {
    id: row.id,
    kind: row.kind,
    payload: JSON.parse(row.payload) as unknown,
    dedupeKey: row.dedupe_key,
    status: row.status,
    runAt: row.run_at,
    attempts: Number(row.attempts),
    maxAttempts: Number(row.max_attempts),
    leaseOwner: row.lease_owner,
    leaseUntil: row.lease_until,
    lastError: row.last_error,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    finishedAt: row.finished_at,
  };
}

const plus = (now: Date, ms: number): string => new Date(now.getTime() + ms).toISOString();

export interface EnqueueInput {
  kind: string;
  payload: unknown;
  runAt: Date;
  maxAttempts: number;
  /** At most one job ever exists per key: enqueueing the key again returns the existing job. */
  dedupeKey?: string | undefined;
  now: Date;
}

/**
 * Adds a job to the queue. With a dedupe key that is already taken (by a job in any status, finished
 * ones included) nothing is added and the existing job's id is returned with `created: false`.
 */
export async function enqueueJob(
  database: JobDatabase,
  input: EnqueueInput,
): Promise<{ id: string; created: boolean }> {
  const now = input.now.toISOString();
  const id = newId(input.now.getTime());
  const inserted = await database.db
    .insertInto('job')
    .values({
      id,
      kind: input.kind,
      payload: JSON.stringify(input.payload ?? null),
      dedupe_key: input.dedupeKey ?? null,
      status: 'queued',
      run_at: input.runAt.toISOString(),
      attempts: 0,
      max_attempts: input.maxAttempts,
      lease_owner: null,
      lease_until: null,
      last_error: null,
      created_at: now,
      updated_at: now,
      finished_at: null,
    })
    // Both dialects wait for a concurrent insert of the same key to commit, then do nothing.
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .returning('id')
    .executeTakeFirst();
  if (inserted) return { id: inserted.id, created: true };
  const existing = await database.db
    .selectFrom('job')
    .select('id')
    .where('dedupe_key', '=', input.dedupeKey ?? null)
    .executeTakeFirstOrThrow();
  return { id: existing.id, created: false };
}

export interface ClaimInput {
  owner: string;
  /** Only jobs of these kinds are claimed: a process never takes a job it has no handler for. */
  kinds: readonly string[];
  limit: number;
  leaseMs: number;
  now: Date;
}

/**
 * Claims up to `limit` due jobs for `owner`, atomically: queued jobs whose run_at has come, and running
 * jobs whose lease has expired (their owner died or stalled). Each claim counts as an attempt. A
 * running job whose lease expired after its last allowed attempt is marked failed instead.
 *
 * PostgreSQL: `FOR UPDATE SKIP LOCKED` in the candidate subquery, so concurrent claimers take disjoint
 * rows without waiting on each other, and a row another claimer has just committed is re-checked
 * against its new status before it is taken. SQLite: the UPDATE takes the database's single write lock
 * before it reads, so claimers are serialised.
 */
export async function claimJobs(database: JobDatabase, input: ClaimInput): Promise<Job[]> {
  if (input.kinds.length === 0 || input.limit <= 0) return [];
  const now = input.now.toISOString();
  const leaseUntil = plus(input.now, input.leaseMs);
  const postgres = database.dialect === 'postgres';
  return database.db.transaction().execute(async (tx) => {
    let exhausted = tx
      .selectFrom('job as c')
      .select('c.id')
      .where('c.status', '=', 'running')
      .where('c.lease_until', '<', now)
      .where((eb) => eb('c.attempts', '>=', eb.ref('c.max_attempts')))
      .where('c.kind', 'in', input.kinds);
    if (postgres) exhausted = exhausted.forUpdate().skipLocked();
    await tx
      .updateTable('job')
      .set({
        status: 'failed',
        lease_until: null,
        finished_at: now,
        updated_at: now,
        last_error: sql<string>`'lease of ' || lease_owner || ' expired on the last attempt'`,
      })
      .where('id', 'in', exhausted)
      .execute();

    let candidates = tx
      .selectFrom('job as c')
      .select('c.id')
      .where((eb) =>
        eb.or([
          eb.and([eb('c.status', '=', 'queued'), eb('c.run_at', '<=', now)]),
          eb.and([
            eb('c.status', '=', 'running'),
            eb('c.lease_until', '<', now),
            eb('c.attempts', '<', eb.ref('c.max_attempts')),
          ]),
        ]),
      )
      .where('c.kind', 'in', input.kinds)
      .orderBy('c.run_at')
      .orderBy('c.id')
      .limit(input.limit);
    if (postgres) candidates = candidates.forUpdate().skipLocked();
    const rows = await tx
      .updateTable('job')
      .set((eb) => ({
        status: 'running',
        lease_owner: input.owner,
        lease_until: leaseUntil,
        attempts: eb('attempts', '+', 1),
        updated_at: now,
        // A takeover is worth knowing about: say whose lease ran out (the SET sees the old row).
        last_error: eb
          .case()
          .when('status', '=', 'running')
          .then(sql<string>`'lease of ' || lease_owner || ' expired'`)
          .else(eb.ref('last_error'))
          .end(),
      }))
      .where('id', 'in', candidates)
      .returningAll()
      .execute();
    // UPDATE … RETURNING does not keep the subquery's order.
    return rows
      .map(toJob)
      .sort((a, b) => (a.runAt < b.runAt ? -1 : a.runAt > b.runAt ? 1 : a.id < b.id ? -1 : 1));
  });
}

/** Identifies one run of a job: the claim it holds. A stale run (its lease taken over) matches nothing. */
export interface RunRef {
  id: string;
  owner: string;
  attempt: number;
}

/**
 * Marks a run done. Returns false, changing nothing, when the run no longer holds the job (its lease
 * expired and another process claimed it): the fencing that keeps a late finisher from overwriting.
 */
export async function completeJob(database: JobDatabase, ref: RunRef, now: Date): Promise<boolean> {
  const at = now.toISOString();
  const result = await database.db
    .updateTable('job')
    .set({ status: 'done', lease_until: null, finished_at: at, updated_at: at })
    .where('id', '=', ref.id)
    .where('lease_owner', '=', ref.owner)
    .where('attempts', '=', ref.attempt)
    .where('status', '=', 'running')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export type FailOutcome = 'retry' | 'failed' | 'lost';

/**
 * Records a failed run: back to the queue at `retryAt`, or failed for good when `retryAt` is null. The
 * error text is kept either way. 'lost' when the run no longer holds the job (nothing changed).
 */
export async function failJob(
  database: JobDatabase,
  ref: RunRef,
  input: { now: Date; error: string; retryAt: string | null },
): Promise<FailOutcome> {
  const at = input.now.toISOString();
  const result = await database.db
    .updateTable('job')
    .set(
      input.retryAt === null
        ? { status: 'failed', lease_until: null, last_error: input.error, finished_at: at, updated_at: at }
        : {
            status: 'queued',
            lease_until: null,
            last_error: input.error,
            run_at: input.retryAt,
            updated_at: at,
          },
    )
    .where('id', '=', ref.id)
    .where('lease_owner', '=', ref.owner)
    .where('attempts', '=', ref.attempt)
    .where('status', '=', 'running')
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) return 'lost';
  return input.retryAt === null ? 'failed' : 'retry';
}

/** Heartbeat: pushes the lease of a run still in progress. False when the run has lost the job. */
export async function extendLease(
  database: JobDatabase,
  ref: RunRef,
  input: { now: Date; leaseMs: number },
): Promise<boolean> {
  const result = await database.db
    .updateTable('job')
    .set({ lease_until: plus(input.now, input.leaseMs), updated_at: input.now.toISOString() })
    .where('id', '=', ref.id)
    .where('lease_owner', '=', ref.owner)
    .where('attempts', '=', ref.attempt)
    .where('status', '=', 'running')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** How many jobs are in each status (every status present, zero when none). */
export async function countJobsByStatus(database: JobDatabase): Promise<Record<JobStatus, number>> {
  const rows = await database.db
    .selectFrom('job')
    .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy('status')
    .execute();
  const counts = Object.fromEntries(JOB_STATUSES.map((s) => [s, 0])) as Record<JobStatus, number>;
  for (const r of rows) counts[r.status] = Number(r.n);
  return counts;
}

export async function getJob(database: JobDatabase, id: string): Promise<Job | undefined> {
  const row = await database.db.selectFrom('job').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toJob(row) : undefined;
}

export async function findJobByDedupeKey(database: JobDatabase, dedupeKey: string): Promise<Job | undefined> {
  const row = await database.db
    .selectFrom('job')
    .selectAll()
    .where('dedupe_key', '=', dedupeKey)
    .executeTakeFirst();
  return row ? toJob(row) : undefined;
}

/**
 * Deletes up to `limit` finished (done or failed) jobs that finished before `finishedBefore`; returns
 * how many. Jobs enqueued with a caller's dedupe key are kept — their row is what makes "never twice"
 * hold — except recurring slots, which are never enqueued again once their slot has passed: keep
 * `finishedBefore` at least one interval of the longest recurring schedule in the past, or a process
 * starting within a still-current slot would queue it again.
 */
export async function deleteFinishedJobs(
  database: JobDatabase,
  input: { finishedBefore: Date; limit: number },
): Promise<number> {
  const victims = database.db
    .selectFrom('job as c')
    .select('c.id')
    .where('c.status', 'in', ['done', 'failed'])
    .where('c.finished_at', '<', input.finishedBefore.toISOString())
    .where((eb) => eb.or([eb('c.dedupe_key', 'is', null), eb('c.dedupe_key', 'like', `${SLOT_KEY_PREFIX}%`)]))
    .limit(input.limit);
  const result = await database.db.deleteFrom('job').where('id', 'in', victims).executeTakeFirst();
  return Number(result.numDeletedRows);
}
