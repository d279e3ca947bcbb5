import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrations } from '../../migrations/index.js';
import { DIALECTS, createTestDatabase, type TestDatabase } from '../testing/db.js';
import { PermanentJobError, type JobContext, type JobHandler } from './jobs.js';
import { claimJobs, getJob, type JobDatabase } from './jobs.store.js';
import type { JobTables } from './jobs.tables.js';
import { JobRunner, type JobLogger, type JobRunnerOptions } from './scheduler.js';

const T0 = new Date('2026-12-01T02:00:00.000Z');

/** A clock the test moves by hand. */
function manualClock(start = T0) {
  let now = start.getTime();
  return { clock: () => new Date(now), set: (ms: number) => (now = start.getTime() + ms) };
}

async function waitFor(cond: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error('timed out waiting for a condition');
    await new Promise((r) => setTimeout(r, 10));
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function gate() {
  let open!: () => void;
  const opened = new Promise<void>((r) => (open = r));
  return { open, opened };
}

/** Captures what the runner logs, to assert on warnings. */
function captureLogger() {
  const lines: Array<{ level: string; msg: string; obj: object }> = [];
  const at = (level: string) => (obj: object, msg: string) => void lines.push({ level, msg, obj });
  const logger: JobLogger = { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
  return { logger, lines };
}

for (const dialect of DIALECTS) {
  describe(`JobRunner (${dialect})`, () => {
    let t: TestDatabase<JobTables>;
    let db: JobDatabase;
    const runners: JobRunner[] = [];
    const runner = (o: Omit<JobRunnerOptions, 'database'>) => {
      const r = new JobRunner({ database: db, ...o });
      runners.push(r);
      return r;
    };
    beforeEach(async () => {
      t = await createTestDatabase<JobTables>(dialect, migrations);
      db = t.database;
    });
    afterEach(async () => {
      await Promise.all(runners.splice(0).map((r) => r.stop()));
      await t.cleanup();
    });

    it('runs due jobs with their payload, up to its concurrency per poll, and completes them', async () => {
      const { clock } = manualClock();
      const seen: Array<{ payload: unknown; ctx: Omit<JobContext, 'signal'> }> = [];
      const r = runner({
        owner: 'p1',
        clock,
        concurrency: 2,
        handlers: {
          greet: (payload, ctx) => {
            seen.push({ payload, ctx: { jobId: ctx.jobId, attempt: ctx.attempt } });
            return Promise.resolve();
          },
        },
      });
      const ids = [];
      for (let i = 0; i < 3; i++) ids.push((await r.enqueue('greet', { i })).id);
      const future = await r.enqueue('greet', { i: 99 }, { runAt: new Date(T0.getTime() + 60_000) });

      expect(await r.runDueOnce()).toBe(2);
      expect(await r.runDueOnce()).toBe(1);
      expect(await r.runDueOnce()).toBe(0);
      // Jobs due at the same instant have no order among themselves.
      const byPayload = [...seen].sort(
        (x, y) => (x.payload as { i: number }).i - (y.payload as { i: number }).i,
      );
      expect(byPayload.map((s) => s.payload)).toEqual([{ i: 0 }, { i: 1 }, { i: 2 }]);
      expect(byPayload.map((s) => s.ctx)).toEqual(ids.map((jobId) => ({ jobId, attempt: 1 })));
      expect(await r.counts()).toEqual({ queued: 1, running: 0, done: 3, failed: 0 });
      expect((await getJob(db, future.id))?.status).toBe('queued');
    });

    it('retries a failing job with exponential backoff, then fails it keeping the last error', async () => {
      const c = manualClock();
      const attempts: number[] = [];
      const r = runner({
        owner: 'p1',
        clock: c.clock,
        backoff: { baseMs: 1000, maxMs: 60_000, jitter: 0 },
        handlers: {
          send: (_p, ctx) => {
            attempts.push(ctx.attempt);
            return Promise.reject(new Error(`smtp down (attempt ${ctx.attempt})`));
          },
        },
      });
      const { id } = await r.enqueue('send', {}, { maxAttempts: 3 });

      expect(await r.runDueOnce()).toBe(1);
      expect(await getJob(db, id)).toMatchObject({
        status: 'queued',
        runAt: '2026-12-01T02:00:01.000Z',
        lastError: 'Error: smtp down (attempt 1)',
      });
      c.set(999);
      expect(await r.runDueOnce()).toBe(0);
      c.set(1000);
      expect(await r.runDueOnce()).toBe(1);
      // Second failure waits twice as long: 1000 + 2000.
      expect((await getJob(db, id))?.runAt).toBe('2026-12-01T02:00:03.000Z');
      c.set(3000);
      expect(await r.runDueOnce()).toBe(1);
      expect(await getJob(db, id)).toMatchObject({
        status: 'failed',
        attempts: 3,
        lastError: 'Error: smtp down (attempt 3)',
      });
      c.set(3_600_000);
      expect(await r.runDueOnce()).toBe(0);
      expect(attempts).toEqual([1, 2, 3]);
    });

    it('spreads retries with jitter below the backoff', async () => {
      const c = manualClock();
      const r = runner({
        owner: 'p1',
        clock: c.clock,
        random: () => 0.5,
        backoff: { baseMs: 1000, maxMs: 60_000, jitter: 0.2 },
        handlers: { send: () => Promise.reject(new Error('down')) },
      });
      const { id } = await r.enqueue('send', {});
      await r.runDueOnce();
      expect((await getJob(db, id))?.runAt).toBe('2026-12-01T02:00:00.900Z');
    });

    it('succeeds on a retry, and gives up at once on a permanent error', async () => {
      const c = manualClock();
      const r = runner({
        owner: 'p1',
        clock: c.clock,
        backoff: { baseMs: 1000, maxMs: 60_000, jitter: 0 },
        handlers: {
          flaky: (_p, ctx) => (ctx.attempt < 2 ? Promise.reject(new Error('timeout')) : Promise.resolve()),
          doomed: () => Promise.reject(new PermanentJobError('case c-7 no longer exists')),
        },
      });
      const flaky = await r.enqueue('flaky', {});
      const doomed = await r.enqueue('doomed', {}, { maxAttempts: 5 });
      expect(await r.runDueOnce()).toBe(2);
      expect(await getJob(db, doomed.id)).toMatchObject({
        status: 'failed',
        attempts: 1,
        lastError: 'PermanentJobError: case c-7 no longer exists',
      });
      c.set(1000);
      expect(await r.runDueOnce()).toBe(1);
      expect(await getJob(db, flaky.id)).toMatchObject({
        status: 'done',
        attempts: 2,
        lastError: 'Error: timeout',
      });
    });

    it('dedupes: the same key enqueued twice runs once', async () => {
      let runs = 0;
      const r = runner({
        owner: 'p1',
        clock: manualClock().clock,
        handlers: { remind: () => Promise.resolve(void runs++) },
      });
      const a = await r.enqueue('remind', { caseId: 'c-1' }, { dedupeKey: 'reminder:c-1:d1' });
      const b = await r.enqueue('remind', { caseId: 'c-1' }, { dedupeKey: 'reminder:c-1:d1' });
      await r.runDueOnce();
      const c = await r.enqueue('remind', { caseId: 'c-1' }, { dedupeKey: 'reminder:c-1:d1' });
      await r.runDueOnce();
      expect([a.created, b.created, c.created]).toEqual([true, false, false]);
      expect(runs).toBe(1);
    });

    it('takes over a job after the lease of a crashed process expires', async () => {
      const c = manualClock();
      const r = runner({
        owner: 'p2',
        clock: c.clock,
        leaseMs: 30_000,
        handlers: { k: () => Promise.resolve() },
      });
      const { id } = await r.enqueue('k', { n: 1 });
      // A process claimed it and died without a word: its claim is all that is left of it.
      await claimJobs(db, { owner: 'crashed', kinds: ['k'], limit: 1, leaseMs: 30_000, now: T0 });
      c.set(29_999);
      expect(await r.runDueOnce()).toBe(0);
      c.set(30_001);
      expect(await r.runDueOnce()).toBe(1);
      expect(await getJob(db, id)).toMatchObject({
        status: 'done',
        attempts: 2,
        leaseOwner: 'p2',
        lastError: 'lease of crashed expired',
      });
    });

    it('stop() waits for the jobs running and claims nothing more', async () => {
      const g = gate();
      const started: number[] = [];
      const r = runner({
        owner: 'p1',
        pollMs: 10,
        concurrency: 1,
        handlers: {
          slow: async (p) => {
            started.push((p as { n: number }).n);
            await g.opened;
          },
        },
      });
      const first = await r.enqueue('slow', { n: 1 });
      r.start();
      await waitFor(() => started.length === 1);
      const second = await r.enqueue('slow', { n: 2 });
      let stopped = false;
      const stopping = r.stop().then(() => (stopped = true));
      await sleep(100);
      expect(stopped).toBe(false);
      expect(r.activeCount).toBe(1);
      g.open();
      await stopping;
      expect((await getJob(db, first.id))?.status).toBe('done');
      expect((await getJob(db, second.id))?.status).toBe('queued');
      expect(started).toEqual([1]);
    });

    it('a heartbeat keeps a long job from being taken over', async () => {
      let runs = 0;
      const long: JobHandler = async () => {
        runs++;
        await sleep(2000); // 2.5 leases: only the heartbeat keeps it
      };
      const a = runner({ owner: 'a', pollMs: 20, leaseMs: 800, heartbeatMs: 100, handlers: { long } });
      const b = runner({ owner: 'b', pollMs: 20, leaseMs: 800, heartbeatMs: 100, handlers: { long } });
      const { id } = await a.enqueue('long', {});
      a.start();
      await waitFor(() => runs === 1);
      b.start();
      await waitFor(async () => (await getJob(db, id))?.status === 'done');
      expect(runs).toBe(1);
      expect(await getJob(db, id)).toMatchObject({ leaseOwner: 'a', attempts: 1 });
    });

    it('aborts the signal of a run whose lease was taken over, and leaves the job to the new owner', async () => {
      const log = captureLogger();
      let signal: AbortSignal | undefined;
      const r = runner({
        owner: 'slowpoke',
        pollMs: 20,
        leaseMs: 300,
        heartbeatMs: 50,
        logger: log.logger,
        handlers: {
          k: async (_p, ctx) => {
            signal = ctx.signal;
            await new Promise<void>((resolve) => {
              const timer = setTimeout(resolve, 5000);
              ctx.signal.addEventListener('abort', () => {
                clearTimeout(timer);
                resolve();
              });
            });
            ctx.signal.throwIfAborted();
          },
        },
      });
      const { id } = await r.enqueue('k', {});
      r.start();
      await waitFor(() => signal !== undefined);
      // What a takeover after an expired lease looks like to the table.
      await db.db
        .updateTable('job')
        .set({ lease_owner: 'thief', attempts: 2 })
        .where('id', '=', id)
        .execute();
      await waitFor(() => signal?.aborted === true, 2000);
      await waitFor(() => r.activeCount === 0);
      expect(await getJob(db, id)).toMatchObject({ status: 'running', leaseOwner: 'thief', attempts: 2 });
      expect(log.lines.map((l) => l.msg)).toEqual(
        expect.arrayContaining([
          'job lease lost; aborting the run',
          'job failed after its lease was taken over',
        ]),
      );
    });

    it('runs a recurring schedule once per slot, however many processes keep it', async () => {
      const c = manualClock(new Date(T0.getTime() + 5_000));
      const slots: unknown[] = [];
      const tick: JobHandler = (p) => Promise.resolve(void slots.push(p));
      const a = runner({ owner: 'a', clock: c.clock, handlers: { tick } });
      const b = runner({ owner: 'b', clock: c.clock, handlers: { tick } });
      a.every('tick', 60_000);
      b.every('tick', 60_000);
      expect((await a.runDueOnce()) + (await b.runDueOnce())).toBe(1);
      expect((await a.runDueOnce()) + (await b.runDueOnce())).toBe(0);
      c.set(65_000);
      expect((await b.runDueOnce()) + (await a.runDueOnce())).toBe(1);
      expect(slots).toEqual([{ slot: '2026-12-01T02:00:00.000Z' }, { slot: '2026-12-01T02:01:00.000Z' }]);
      expect(await a.counts()).toEqual({ queued: 0, running: 0, done: 2, failed: 0 });
    });

    it('two runners on one database share a backlog without running any job twice', async () => {
      const ran: Array<{ id: string; owner: string }> = [];
      const make = (owner: string) =>
        runner({
          owner,
          pollMs: 10,
          concurrency: 3,
          handlers: {
            work: async (_p, ctx) => {
              await sleep(2);
              ran.push({ id: ctx.jobId, owner });
            },
          },
        });
      const a = make('a');
      const b = make('b');
      const ids = new Set<string>();
      for (let i = 0; i < 60; i++) ids.add((await a.enqueue('work', { i })).id);
      a.start();
      b.start();
      await waitFor(async () => (await a.counts()).done === 60, 20_000);
      expect(ran).toHaveLength(60);
      expect(new Set(ran.map((r) => r.id))).toEqual(ids);
      expect(new Set(ran.map((r) => r.owner))).toEqual(new Set(['a', 'b']));
    });
  });
}

describe('JobRunner options', () => {
  // The constructor checks its options before it touches the database, so none is needed here.
  const database = { db: undefined, dialect: 'sqlite' } as unknown as JobDatabase;
  const handlers = { k: () => Promise.resolve() };
  const make = (o: Omit<JobRunnerOptions, 'database' | 'handlers'>) =>
    new JobRunner({ database, handlers, ...o });

  it('refuses nonsense options', () => {
    expect(() => make({ owner: '' })).toThrow(/owner/);
    expect(() => make({ owner: 'x', concurrency: 0 })).toThrow(/concurrency/);
    expect(() => make({ owner: 'x', pollMs: 1.5 })).toThrow(/pollMs/);
    expect(() => make({ owner: 'x', leaseMs: 100, heartbeatMs: 100 })).toThrow(/heartbeatMs/);
    expect(() => make({ owner: 'x' }).every('other', 1000)).toThrow(/no handler/);
    expect(() => make({ owner: 'x' }).every('k', 0)).toThrow(/intervalMs/);
  });
});
