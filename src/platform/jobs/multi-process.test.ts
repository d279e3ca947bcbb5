// Two server-like processes on one database: each runs a JobRunner (src/platform/jobs/testing/worker.ts)
// and records every handler run in a table; the test counts the runs.
import { spawn, type ChildProcess } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import { migrations } from '../../migrations/index.js';
import { projectRoot } from '../config/config.js';
import { DIALECTS, createTestDatabase, type TestDatabase } from '../testing/db.js';
import { countJobsByStatus, enqueueJob, jobDatabase } from './jobs.store.js';
import {
  READY_LINE,
  RECORD_KIND,
  WORKER_SCRIPT,
  createRunTable,
  type WorkerOptions,
  type WorkerTables,
} from './testing/worker-protocol.js';

interface Worker {
  owner: string;
  child: ChildProcess;
  output: string[];
  ready: Promise<void>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function startWorker(options: WorkerOptions): Worker {
  const child = spawn(process.execPath, ['--import', 'tsx', WORKER_SCRIPT, JSON.stringify(options)], {
    cwd: projectRoot(),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (d: Buffer) => {
      output.push(d.toString());
      if (d.toString().includes(READY_LINE)) resolve();
    });
    child.stderr?.on('data', (d: Buffer) => output.push(d.toString()));
    void exited.then((e) =>
      reject(
        new Error(`worker ${options.owner} exited before ready (${JSON.stringify(e)}): ${output.join('')}`),
      ),
    );
  });
  return { owner: options.owner, child, output, ready, exited };
}

async function waitFor(
  what: string,
  cond: () => Promise<boolean>,
  timeoutMs: number,
  workers: Worker[],
): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > end) {
      throw new Error(
        `timed out waiting for ${what}; worker output:\n${workers.map((w) => `${w.owner}: ${w.output.join('')}`).join('\n')}`,
      );
    }
    await new Promise((r) => setTimeout(r, 10));
  }
}

const JOBS = 300;

for (const dialect of DIALECTS) {
  describe(`two processes sharing one queue (${dialect})`, () => {
    let t: TestDatabase<WorkerTables>;
    let db: Kysely<WorkerTables>;
    let workers: Worker[] = [];

    beforeEach(async () => {
      t = await createTestDatabase<WorkerTables>(dialect, migrations);
      db = t.database.db;
      await createRunTable(db);
    });
    afterEach(async () => {
      for (const w of workers)
        if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGKILL');
      await Promise.all(workers.map((w) => w.exited));
      workers = [];
      await t.cleanup();
    });

    const options = (owner: string, extra: Partial<WorkerOptions>): WorkerOptions => ({
      database: t.config,
      owner,
      pollMs: 20,
      leaseMs: 10_000,
      concurrency: 4,
      workMs: 5,
      ...extra,
    });

    async function enqueueAll(): Promise<Set<string>> {
      const ids = new Set<string>();
      for (let i = 0; i < JOBS; i++) {
        const now = new Date();
        ids.add(
          (
            await enqueueJob(jobDatabase(t.database), {
              kind: RECORD_KIND,
              payload: { i },
              runAt: now,
              maxAttempts: 5,
              now,
            })
          ).id,
        );
      }
      return ids;
    }

    const runs = () => db.selectFrom('job_run').selectAll().execute();
    const jobs = () => db.selectFrom('job').selectAll().execute();

    it(
      `runs each of ${JOBS} jobs exactly once, and both processes take part`,
      { timeout: 90_000 },
      async () => {
        workers = [startWorker(options('A', {})), startWorker(options('B', {}))];
        await Promise.all(workers.map((w) => w.ready));
        const ids = await enqueueAll();
        await waitFor(
          'every job done',
          async () => (await countJobsByStatus(jobDatabase(t.database))).done === JOBS,
          60_000,
          workers,
        );

        for (const w of workers) w.child.kill('SIGTERM');
        expect((await Promise.all(workers.map((w) => w.exited))).map((e) => e.code)).toEqual([0, 0]);

        const rows = await runs();
        const perJob = new Map<string, number>();
        for (const r of rows) perJob.set(r.job_id, (perJob.get(r.job_id) ?? 0) + 1);
        expect(rows).toHaveLength(JOBS);
        expect(new Set(perJob.keys())).toEqual(ids);
        expect([...perJob.values()].every((n) => n === 1)).toBe(true);

        const byOwner = (o: string) => rows.filter((r) => r.owner === o).length;
        expect(byOwner('A')).toBeGreaterThan(0);
        expect(byOwner('B')).toBeGreaterThan(0);
        expect(byOwner('A') + byOwner('B')).toBe(JOBS);
        expect(new Set(rows.map((r) => r.pid)).size).toBe(2);
        const all = await jobs();
        expect(all.every((j) => j.status === 'done' && Number(j.attempts) === 1)).toBe(true);
      },
    );

    it(
      'takes over the jobs of a process killed mid-run once their lease expires; a clean finish never runs again',
      { timeout: 90_000 },
      async () => {
        const leaseMs = 1500;
        const stallAfterRuns = 10;
        const victim = startWorker(options('victim', { leaseMs, workMs: 25, stallAfterRuns }));
        const survivor = startWorker(options('survivor', { leaseMs, workMs: 25 }));
        workers = [victim, survivor];
        await Promise.all(workers.map((w) => w.ready));
        const ids = await enqueueAll();

        // A row beyond stallAfterRuns is a run that has done its effect and hangs: kill the victim there.
        await waitFor(
          'the victim to be mid-run',
          async () =>
            (await db.selectFrom('job_run').select('job_id').where('owner', '=', 'victim').execute()).length >
            stallAfterRuns,
          30_000,
          workers,
        );
        victim.child.kill('SIGKILL');
        const killedAt = Date.now();
        expect((await victim.exited).signal).toBe('SIGKILL');

        await waitFor(
          'every job done',
          async () => (await countJobsByStatus(jobDatabase(t.database))).done === JOBS,
          60_000,
          workers,
        );
        survivor.child.kill('SIGTERM');
        expect((await survivor.exited).code).toBe(0);

        const rows = await runs();
        const all = await jobs();
        const runsOf = new Map<string, typeof rows>();
        for (const r of rows) runsOf.set(r.job_id, [...(runsOf.get(r.job_id) ?? []), r]);

        // Every job ran, and finished.
        expect(new Set(runsOf.keys())).toEqual(ids);
        expect(all.every((j) => j.status === 'done')).toBe(true);

        // Neither process ran any job twice itself.
        for (const owner of ['victim', 'survivor']) {
          const mine = rows.filter((r) => r.owner === owner).map((r) => r.job_id);
          expect(new Set(mine).size).toBe(mine.length);
        }

        // A job the victim finished cleanly (its completion recorded) never ran again.
        const finishedByVictim = all.filter((j) => j.lease_owner === 'victim');
        expect(finishedByVictim.length).toBeGreaterThan(0);
        for (const j of finishedByVictim) expect(runsOf.get(j.id)).toHaveLength(1);

        // Taken over: the jobs the victim held when it died, claimed again only after their lease ran out.
        const takenOver = all.filter((j) => j.last_error === 'lease of victim expired');
        expect(takenOver.length).toBeGreaterThan(0);
        expect(takenOver.length).toBeLessThanOrEqual(4); // at most the victim's concurrency was in flight
        for (const j of takenOver) {
          expect(j.lease_owner).toBe('survivor');
          expect(Number(j.attempts)).toBe(2);
          const again = runsOf.get(j.id)?.find((r) => r.owner === 'survivor');
          expect(again?.attempt).toBe(2);
          expect(Date.parse(again?.at ?? '')).toBeGreaterThanOrEqual(killedAt + leaseMs - 1000);
        }
        // Run twice (at least once, not exactly once): only jobs taken over, whose first run was the victim's.
        const twice = [...runsOf.entries()].filter(([, rs]) => rs.length > 1);
        for (const [id, rs] of twice) {
          expect(takenOver.map((j) => j.id)).toContain(id);
          expect(rs.map((r) => r.owner).sort()).toEqual(['survivor', 'victim']);
        }
        expect(rows.filter((r) => r.owner === 'survivor').length).toBeGreaterThan(0);
      },
    );
  });
}
