import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import type { DB } from '../schema.js';
import { verifyAuditChain } from '../access/audit.service.js';
import { HOUR_MS } from '../platform/calendar/shanghai-time.js';
import { openDatabase } from '../platform/db/database.js';
import { DIALECTS } from '../platform/testing/db.js';
import { buildTestDeps, type TestDeps } from '../testing/deps.js';
import { DEFAULT_ALERT_SETTINGS as S } from './alerts.js';
import { createJobRunner } from '../jobs.js';
import { SWEEP_JOB, sweepDeadlines } from './alerts.service.js';
import { demoUnits, insertTestCase } from './alerts.test-support.js';

const T = new Date('2026-03-10T09:30:00.000Z');
const at = (offsetMs: number) => new Date(T.getTime() + offsetMs);
const LEADER = S.escalateLeaderAfterMs;
const BUREAU = S.escalateLeaderAfterMs + S.escalateBureauAfterMs;

describe.each(DIALECTS)('case deadline sweep (%s)', (dialect) => {
  let deps: TestDeps;
  let now = T;
  let units: Awaited<ReturnType<typeof demoUnits>>;
  beforeAll(async () => {
    deps = await buildTestDeps(dialect, { now: () => now });
    units = await demoUnits(deps.database.db);
  });
  afterAll(async () => deps?.cleanup());
  beforeEach(async () => {
    await deps.database.db.deleteFrom('case_alert').execute();
    await deps.database.db.deleteFrom('case_file').execute();
  });

  const db = () => deps.database.db;
  const sweepAt = (t: Date, opts: Parameters<typeof sweepDeadlines>[1] = {}) => {
    now = t;
    return sweepDeadlines(deps, opts);
  };
  const alertsOf = (caseId: string) =>
    db()
      .selectFrom('case_alert')
      .selectAll()
      .where('case_id', '=', caseId)
      .orderBy('created_at')
      .orderBy('kind')
      .execute();
  const marks = (caseId: string) =>
    db()
      .selectFrom('case_file')
      .select(['overdue_since', 'escalation_level', 'version'])
      .where('id', '=', caseId)
      .executeTakeFirstOrThrow();
  const sweepAudits = () =>
    db()
      .selectFrom('audit_entry')
      .select(['summary', 'actor_id'])
      .where('action', '=', 'cases.sweepDeadlines')
      .orderBy('seq')
      .execute();

  it('warns ahead, marks overdue on time, escalates after each limit, and never sends anything twice', async () => {
    const id = await insertTestCase(db(), {
      unitId: units.workstation.id,
      dueAt: T,
      from: at(-96 * HOUR_MS),
      basis: '处置 1 个工作日',
    });
    const audits0 = (await sweepAudits()).length;

    expect((await sweepAt(at(-24 * HOUR_MS - 1))).alerts).toEqual({});
    expect(await alertsOf(id)).toEqual([]);

    expect((await sweepAt(at(-2 * HOUR_MS))).alerts).toEqual({ warn: 1 });
    const [warn] = await alertsOf(id);
    expect(warn).toMatchObject({
      kind: 'warn',
      unit_id: units.workstation.id,
      role: null,
      due_at: T.toISOString(),
      read_at: null,
    });
    expect(warn?.message).toBe(
      `案件 AJ-${id.slice(-8)} 处置 将于 2026-03-10 17:30 到期（依据：处置 1 个工作日）`,
    );

    // Again and again before the deadline: nothing new, and no write at all (no audit entry).
    const again = await sweepAt(at(-HOUR_MS));
    expect(again).toMatchObject({ alerts: {}, batches: 0, marked: 0 });
    expect(await sweepAt(T)).toMatchObject({ alerts: {}, batches: 0 });
    expect((await sweepAudits()).length).toBe(audits0 + 1);
    expect(await marks(id)).toEqual({ overdue_since: null, escalation_level: 0, version: 1 });

    // One millisecond past the deadline: overdue, marked with the deadline it passed; the version is left alone.
    expect(await sweepAt(at(1))).toMatchObject({ alerts: { overdue: 1 }, marked: 1, batches: 1 });
    expect(await marks(id)).toEqual({ overdue_since: T.toISOString(), escalation_level: 0, version: 1 });
    expect(await sweepAt(at(LEADER))).toMatchObject({ alerts: {}, batches: 0 });

    expect(await sweepAt(at(LEADER + 1))).toMatchObject({ alerts: { escalateLeader: 1 }, marked: 1 });
    expect(await marks(id)).toMatchObject({ escalation_level: 1 });
    const leader = (await alertsOf(id)).find((a) => a.kind === 'escalateLeader');
    expect(leader).toMatchObject({ unit_id: units.squad.id, role: 'squadLeader' });

    expect(await sweepAt(at(BUREAU + 1))).toMatchObject({ alerts: { escalateBureau: 1 }, marked: 1 });
    expect(await marks(id)).toMatchObject({ overdue_since: T.toISOString(), escalation_level: 2 });
    expect((await alertsOf(id)).find((a) => a.kind === 'escalateBureau')).toMatchObject({
      unit_id: units.bureau.id,
      role: null,
    });

    // Fully escalated: the sweep no longer even reads the case.
    expect(await sweepAt(at(30 * 24 * HOUR_MS))).toEqual({ scanned: 0, alerts: {}, marked: 0, batches: 0 });
    expect((await alertsOf(id)).map((a) => a.kind).sort()).toEqual([
      'escalateBureau',
      'escalateLeader',
      'overdue',
      'warn',
    ]);

    const audits = await sweepAudits();
    expect(audits).toHaveLength(audits0 + 4);
    expect(JSON.parse(audits.at(-1)!.summary)).toEqual({
      before: null,
      after: { alerts: { escalateBureau: 1 }, marked: [id], caseIds: [id] },
    });
    expect(audits.at(-1)!.actor_id).toBe('system:cases.sweepDeadlines');
    expect((await verifyAuditChain(deps)).ok).toBe(true);
  });

  it('after a restart sends what fell due while the server was down, and nothing twice', async () => {
    const id = await insertTestCase(db(), {
      unitId: units.squad.id,
      step: 'verify',
      dueAt: T,
      from: at(-8 * HOUR_MS),
    });
    await sweepAt(at(-HOUR_MS)); // the warning went out; then the server was down for four days
    expect((await alertsOf(id)).map((a) => a.kind)).toEqual(['warn']);

    // A new process: its own connection to the same database, nothing kept in memory.
    const database = openDatabase<DB>(deps.config.database);
    try {
      const restarted = { database, clock: () => at(4 * 24 * HOUR_MS), logger: pino({ level: 'silent' }) };
      const r = await sweepDeadlines(restarted);
      expect(r.alerts).toEqual({ overdue: 1, escalateLeader: 1, escalateBureau: 1 });
      expect(await sweepDeadlines(restarted)).toMatchObject({ alerts: {}, batches: 0 });
    } finally {
      await database.close();
    }
    const kinds = (await alertsOf(id)).map((a) => `${a.kind}@${a.unit_id}`).sort();
    // The verify step is the desk's: the squad is both the owner and the leader's unit.
    expect(kinds).toEqual(
      [
        `escalateBureau@${units.bureau.id}`,
        `escalateLeader@${units.squad.id}`,
        `overdue@${units.squad.id}`,
        `warn@${units.squad.id}`,
      ].sort(),
    );
    expect(await marks(id)).toMatchObject({ overdue_since: T.toISOString(), escalation_level: 2 });
  });

  it('alerts a new deadline afresh after a move, and leaves the old alerts where they are', async () => {
    const id = await insertTestCase(db(), { unitId: units.workstation.id, dueAt: T, from: at(-8 * HOUR_MS) });
    await sweepAt(at(LEADER + 1));
    expect(await marks(id)).toMatchObject({ escalation_level: 1 });
    // The case service's move: a new step with a new deadline clears the mark and the escalation.
    const next = at(LEADER + 10 * HOUR_MS);
    await db()
      .updateTable('case_file')
      .set({
        step: 'verify',
        due_at: next.toISOString(),
        overdue_since: null,
        escalation_level: 0,
        state: null,
      })
      .where('id', '=', id)
      .execute();
    expect((await sweepAt(at(LEADER + 2))).alerts).toEqual({ warn: 1 });
    expect(await sweepAt(at(LEADER + 10 * HOUR_MS + 1))).toMatchObject({ alerts: { overdue: 1 }, marked: 1 });
    const rows = await alertsOf(id);
    expect(rows.map((a) => a.dedupe_key).sort()).toEqual(
      [
        `overdue:${id}:handle:${T.toISOString()}`,
        `escalateLeader:${id}:handle:${T.toISOString()}`,
        `warn:${id}:verify:${next.toISOString()}`,
        `overdue:${id}:verify:${next.toISOString()}`,
      ].sort(),
    );
    // Without the state's deadline the basis is unknown, and the text says so.
    expect(rows.find((a) => a.dedupe_key.startsWith('warn:'))?.message).toContain('依据：未载明');
    expect(await marks(id)).toMatchObject({ overdue_since: next.toISOString(), escalation_level: 0 });
  });

  it('is silent for suspended and closed cases and for deadlines far ahead', async () => {
    await insertTestCase(db(), {
      unitId: units.squad.id,
      status: 'suspended',
      dueAt: at(-10 * 24 * HOUR_MS),
    });
    await insertTestCase(db(), {
      unitId: units.squad.id,
      status: 'closed',
      step: 'evaluate',
      dueAt: at(-10 * 24 * HOUR_MS),
    });
    await insertTestCase(db(), { unitId: units.squad.id, dueAt: at(S.warnLeadMaxMs + 1) });
    expect(await sweepAt(T)).toEqual({ scanned: 0, alerts: {}, marked: 0, batches: 0 });
    expect(await db().selectFrom('case_alert').selectAll().execute()).toEqual([]);
  });

  it('reminds the desk of the 第26条 reporter deadline, and tells it when the deadline passed', async () => {
    const R = at(5 * 24 * HOUR_MS);
    const id = await insertTestCase(db(), { unitId: units.workstation.id, dueAt: null, reporterDueAt: R });
    const dept = await insertTestCase(db(), { unitId: units.department.id, dueAt: null, reporterDueAt: R });
    expect((await sweepAt(new Date(R.getTime() - HOUR_MS))).alerts).toEqual({ reporterWarn: 2 });
    expect((await sweepAt(new Date(R.getTime() + 1))).alerts).toEqual({ reporterOverdue: 2 });
    expect((await sweepAt(new Date(R.getTime() + 2))).batches).toBe(0);
    // The workstation's case is held by 莘庄镇's squad; the department's by no squad, so by the bureau.
    expect((await alertsOf(id)).map((a) => [a.kind, a.unit_id])).toEqual([
      ['reporterWarn', units.squad.id],
      ['reporterOverdue', units.squad.id],
    ]);
    expect((await alertsOf(dept)).map((a) => a.unit_id)).toEqual([units.bureau.id, units.bureau.id]);
    expect((await alertsOf(id))[0]?.message).toContain('上海市城市管理行政执法条例 第26条');
    // The reporter's deadline marks nothing on the case.
    expect(await marks(id)).toMatchObject({ overdue_since: null, escalation_level: 0 });
  });

  it('runs as the recurring job of every server process', async () => {
    const id = await insertTestCase(db(), { unitId: units.workstation.id, dueAt: at(-HOUR_MS) });
    now = T;
    const runner = createJobRunner(deps);
    try {
      await runner.runDueOnce();
    } finally {
      await runner.stop();
    }
    const jobs = await db()
      .selectFrom('job')
      .select(['status', 'dedupe_key'])
      .where('kind', '=', SWEEP_JOB)
      .execute();
    expect(jobs).toEqual([
      { status: 'done', dedupe_key: expect.stringMatching(/^every:cases\.sweepDeadlines:60000:/) as unknown },
    ]);
    expect((await alertsOf(id)).map((a) => a.kind)).toEqual(['overdue']);
  });

  it('works through many cases in batches, one audit entry per batch that wrote', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 11; i++)
      ids.push(await insertTestCase(db(), { unitId: units.workstation.id, dueAt: at(-i * 60_000) }));
    const before = (await sweepAudits()).length;
    const r = await sweepAt(at(1), { batchSize: 4 });
    expect(r).toEqual({ scanned: 11, alerts: { overdue: 11 }, marked: 11, batches: 3 });
    const audits = (await sweepAudits())
      .slice(before)
      .map((a) => JSON.parse(a.summary) as { after: { caseIds: string[] } });
    expect(audits.map((a) => a.after.caseIds.length)).toEqual([4, 4, 3]);
    expect(audits.flatMap((a) => a.after.caseIds).sort()).toEqual([...ids].sort());
  });
});

// Two server processes sweeping at once: each with its own connection pool on the same PostgreSQL schema,
// so their transactions really interleave. (SQLite is one process's database: its writers are serialised.)
describe.each(DIALECTS.filter((d) => d === 'postgres'))('two concurrent sweeps (%s)', (dialect) => {
  let deps: TestDeps;
  beforeAll(async () => {
    deps = await buildTestDeps(dialect, { now: () => at(BUREAU + 1) });
  });
  afterAll(async () => deps?.cleanup());

  it('insert every alert exactly once and account for each once', async () => {
    const units = await demoUnits(deps.database.db);
    const owners = [units.workstation.id, units.squad.id, units.department.id];
    const N = 300;
    for (let i = 0; i < N; i++) {
      // A third overdue beyond the bureau limit, a third just overdue, a third due soon; all with a reporter deadline passed.
      const dueAt = [at(-i), at(BUREAU - 2 * HOUR_MS), at(BUREAU + 2 * HOUR_MS)][i % 3]!;
      await insertTestCase(deps.database.db, {
        unitId: owners[i % 3]!,
        dueAt,
        reporterDueAt: at(BUREAU - i),
      });
    }
    const second = openDatabase<DB>(deps.config.database);
    try {
      const other = { database: second, clock: deps.clock, logger: deps.logger };
      const [a, b] = await Promise.all([
        sweepDeadlines(deps, { batchSize: 25 }),
        sweepDeadlines(other, { batchSize: 25 }),
      ]);
      const sum = (k: string) =>
        ((a.alerts as Record<string, number>)[k] ?? 0) + ((b.alerts as Record<string, number>)[k] ?? 0);
      const expected = {
        overdue: 200,
        escalateLeader: 100,
        escalateBureau: 100,
        warn: 100,
        reporterOverdue: 300,
      };
      for (const [k, n] of Object.entries(expected)) expect(sum(k), k).toBe(n);
      expect(a.marked + b.marked).toBe(200);

      const rows = await deps.database.db.selectFrom('case_alert').select(['case_id', 'kind']).execute();
      expect(rows).toHaveLength(800);
      const perCase = new Map<string, string[]>();
      for (const r of rows) perCase.set(r.case_id, [...(perCase.get(r.case_id) ?? []), r.kind]);
      expect(perCase.size).toBe(N);
      for (const kinds of perCase.values()) expect(new Set(kinds).size).toBe(kinds.length);

      // A batch the other process had done meanwhile is rolled back: every audit entry names what it wrote.
      const audits = await deps.database.db
        .selectFrom('audit_entry')
        .select('summary')
        .where('action', '=', 'cases.sweepDeadlines')
        .execute();
      expect(audits).toHaveLength(a.batches + b.batches);
      for (const e of audits) {
        const { after } = JSON.parse(e.summary) as {
          after: { alerts: Record<string, number>; marked: string[] };
        };
        expect(Object.keys(after.alerts).length + after.marked.length).toBeGreaterThan(0);
      }
      // A third sweep from either process finds nothing left to do.
      expect((await sweepDeadlines(other)).batches).toBe(0);
      expect((await verifyAuditChain(deps)).ok).toBe(true);
    } finally {
      await second.close();
    }
  }, 60_000);
});
