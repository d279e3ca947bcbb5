// `npm run bench -- cases [--cases=N] [--dialect=sqlite|postgres|both]`: the case loop at scale. Generates
// N cases (default 1,000,000) in the demo district — two years of history, most closed, a live backlog with
// overdue ones, one flow record per case, a report for one case in five — then times, through the real
// services: the case list's first page with the common filters, a case detail, a transition (accept, with
// its flow record and audit entry) and the overdue sweep; then drops the secondary indexes of case_file,
// case_flow and report and times the same queries again in the same run. Prints p50/p99 and the ratios.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql, type Kysely } from 'kysely';
import pg from 'pg';
import { pino } from 'pino';
import type { Deps } from '../src/deps.js';
import type { DB } from '../src/schema.js';
import { openDeps } from '../src/app.js';
import { loadConfig } from '../src/platform/config/config.js';
import { loadDemoDistrict } from '../src/registry/demo.service.js';
import { testDemoDistrict } from '../src/testing/demo-district.js';
import { ROLE_PERMISSIONS, scopePathOf, type Actor } from '../src/access/roles.js';
import { getCase, listCases, moveCase, caseRulesOf } from '../src/cases/cases.service.js';
import { startCase, type CaseState } from '../src/cases/case-loop.js';
import { sweepDeadlines } from '../src/cases/alerts.service.js';
import { mulberry32 } from '../src/registry/demo/random.js';

const arg = (args: string[], name: string, fallback: string) =>
  args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback;

const DAY = 86_400_000;
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
};

async function timed(n: number, f: (i: number) => Promise<unknown>): Promise<{ p50: number; p99: number; n: number }> {
  const xs: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await f(i);
    xs.push(performance.now() - t);
  }
  return { p50: pct(xs, 50), p99: pct(xs, 99), n };
}

interface Fixture {
  actor: Actor;
  /** Cases in `collect` with a real loop state, in the dispatcher's scope: targets of transitions. */
  collectIds: string[];
  sampleIds: string[];
  categories: string[];
}

/** Generates the cases straight into the tables, in multi-row inserts. */
async function generate(deps: Deps, n: number, log: (s: string) => void): Promise<Fixture> {
  const db = deps.database.db;
  const random = mulberry32(1_000_003);
  const user = await db
    .selectFrom('app_user as u')
    .innerJoin('org_unit as o', 'o.id', 'u.unit_id')
    .select(['u.id', 'u.display_name', 'u.unit_id', 'o.kind', 'o.path'])
    .where('u.username', '=', 'dispatcher')
    .executeTakeFirstOrThrow();
  const actor: Actor = {
    kind: 'user',
    id: user.id,
    name: user.display_name,
    role: 'dispatcher',
    unitId: user.unit_id,
    unitPath: scopePathOf(user.kind, user.path),
    permissions: new Set(ROLE_PERMISSIONS.dispatcher),
  };
  const units = await db
    .selectFrom('org_unit')
    .select(['id', 'path'])
    .where('kind', 'in', ['squad', 'workstation', 'department', 'sector'])
    .execute();
  const mine = units.filter((u) => u.path.startsWith(actor.unitPath));
  const categories = (await db.selectFrom('category').select('key').where('active', '=', 1).execute()).map((c) => c.key);
  const limits = await caseRulesOf(deps).limits();
  const now = deps.clock().getTime();
  const steps = ['collect', 'dispatch', 'handle', 'handle', 'handle', 'verify', 'close'] as const;
  const template = startCase(
    { id: 'x', channel: 'resident', categoryKey: null, areaGrade: null, hasReporter: true, receivedAt: new Date(now) },
    limits,
  );
  const collectIds: string[] = [];
  const sampleIds: string[] = [];
  const batch = deps.database.dialect === 'postgres' ? 1000 : 500;
  let cases: Record<string, unknown>[] = [];
  let flows: Record<string, unknown>[] = [];
  let reports: Record<string, unknown>[] = [];
  const flush = async () => {
    if (cases.length === 0) return;
    await db.transaction().execute(async (tx) => {
      await tx.insertInto('case_file').values(cases as never).execute();
      await tx.insertInto('case_flow').values(flows as never).execute();
      if (reports.length > 0) await tx.insertInto('report').values(reports as never).execute();
    });
    cases = [];
    flows = [];
    reports = [];
  };
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const id = `c${String(i).padStart(8, '0')}`;
    const r = random();
    // The last 2,000 are fresh cases in collect, in the dispatcher's scope, with a real state: transition targets.
    const fresh = i >= n - 2000;
    const live = fresh || r < 0.18;
    const unit = fresh ? mine[i % mine.length]! : units[Math.floor(random() * units.length)]!;
    const opened = fresh ? now - 60_000 * (1 + (i % 50)) : live ? now - random() * 60 * DAY : now - random() * 730 * DAY;
    const openedAt = new Date(opened).toISOString();
    const category = categories[Math.floor(random() * categories.length)] ?? null;
    const step = fresh ? 'collect' : live ? steps[Math.floor(random() * steps.length)]! : 'ended';
    const status = live ? 'active' : r < 0.97 ? 'closed' : 'voided';
    const dueAt = live ? new Date(opened + (0.5 + random() * 5) * DAY).toISOString() : null;
    let state: CaseState = { ...template, id, status, step, categoryKey: category };
    if (fresh) {
      state = startCase(
        { id, channel: 'resident', categoryKey: category, areaGrade: null, hasReporter: true, receivedAt: new Date(opened) },
        limits,
      );
      collectIds.push(id);
    }
    // Detail targets: spread over the whole history, in the dispatcher's scope.
    if (i % 97 === 0 && sampleIds.length < 5000 && unit.path.startsWith(actor.unitPath)) sampleIds.push(id);
    cases.push({
      id,
      code: `B${id}`,
      status,
      step,
      category_key: category,
      lng: 121.3 + random() * 0.2,
      lat: 31.0 + random() * 0.15,
      responsible_unit_id: unit.id,
      unit_path: unit.path,
      handling_unit_id: step === 'handle' ? unit.id : null,
      handling_unit_path: step === 'handle' ? unit.path : null,
      opened_at: openedAt,
      closed_at: live ? null : new Date(opened + random() * 10 * DAY).toISOString(),
      created_at: openedAt,
      updated_at: openedAt,
      version: 1,
      channel: 'resident',
      step_started_at: openedAt,
      due_at: fresh ? (state.deadline ? new Date(state.deadline.due).toISOString() : null) : dueAt,
      reporter_due_at: null,
      state: JSON.stringify(state),
    });
    flows.push({
      id: `f${id}`,
      case_id: id,
      seq: 1,
      track: 'loop',
      step: 'collect',
      move: 'accept',
      to_step: 'open',
      actor_id: actor.id,
      actor_name: actor.name,
      role: 'dispatcher',
      unit_id: actor.unitId,
      started_at: openedAt,
      ended_at: openedAt,
      deadline: null,
      on_time: 1,
      note: null,
      reason: null,
      target_unit_id: null,
      attachments: '[]',
      detail: null,
    });
    if (random() < 0.2 || fresh)
      reports.push({
        id: `r${id}`,
        tracking_code: `T${id}`,
        channel: 'resident',
        category_key: category,
        description: '占道经营，影响通行',
        lng: 121.35,
        lat: 31.1,
        received_at: openedAt,
        anonymous: 1,
        routing: '{}',
        unit_path: unit.path,
        case_id: id,
      });
    if (cases.length >= batch) await flush();
    if (i > 0 && i % 100_000 === 0) log(`  ${i.toLocaleString('en')} cases (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
  }
  await flush();
  log(`  generated ${n.toLocaleString('en')} cases in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  await sql`analyze`.execute(db);
  return { actor, collectIds, sampleIds, categories };
}

/** The secondary indexes the bench removes for the "without indexes" pass. */
const INDEXES = {
  case_file: ['case_file_reporter_due', 'case_file_status_category', 'case_file_unit_path', 'case_file_due', 'case_file_opened', 'case_file_step', 'case_file_status_opened', 'case_file_near', 'case_file_handling'],
  case_flow: ['case_flow_case_seq', 'case_flow_actor'],
  report: ['report_case', 'report_unit_path', 'report_triage'],
};

interface Pass {
  list: Record<string, { p50: number; p99: number; n: number }>;
  detail: { p50: number; p99: number; n: number };
  move: { p50: number; p99: number; n: number };
  sweepMs: number;
}

async function measure(deps: Deps, f: Fixture, reps: number, moveFrom: number): Promise<Pass> {
  const ctx = { actor: f.actor };
  const rules = caseRulesOf(deps);
  const now = deps.clock().toISOString();
  const list: Pass['list'] = {};
  const filters: Record<string, (i: number) => Parameters<typeof listCases>[2]> = {
    'scope only': () => ({}),
    'active': () => ({ status: ['active'] }),
    'overdue': () => ({ overdue: true }),
    'category + active': (i) => ({ categoryKey: f.categories[i % f.categories.length], status: ['active'] }),
    'step handle': () => ({ step: ['handle'] }),
    'period (last 30 d)': () => ({ from: new Date(Date.parse(now) - 30 * DAY).toISOString() }),
  };
  for (const [name, q] of Object.entries(filters)) list[name] = await timed(reps, (i) => listCases(deps, f.actor, { ...q(i), limit: 50 }));
  const detail = await timed(reps, (i) => getCase(deps, f.actor, f.sampleIds[i % f.sampleIds.length]!));
  const move = await timed(reps, (i) => moveCase(deps, rules, ctx, f.collectIds[moveFrom + i]!, { type: 'accept' }, 1));
  // The sweep from scratch: no alerts or marks yet.
  await deps.database.db.deleteFrom('case_alert').execute();
  await deps.database.db.updateTable('case_file').set({ overdue_since: null, escalation_level: 0 }).where('overdue_since', 'is not', null).execute();
  const t = performance.now();
  await sweepDeadlines(deps, { batchSize: 500 });
  return { list, detail, move, sweepMs: performance.now() - t };
}

async function dropIndexes(db: Kysely<DB>): Promise<void> {
  for (const names of Object.values(INDEXES)) for (const name of names) await sql`drop index if exists ${sql.id(name)}`.execute(db);
  await sql`analyze`.execute(db);
}

const ms = (x: number) => (x < 10 ? x.toFixed(2) : x.toFixed(0)).padStart(8);

async function runDialect(dialect: 'sqlite' | 'postgres', n: number): Promise<void> {
  const log = (s: string) => process.stdout.write(`${s}\n`);
  const dir = mkdtempSync(join(tmpdir(), 'onegrid-bench-cases-'));
  const schema = `bench_cases_${process.pid}`;
  const url = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const env = dialect === 'postgres' ? { DATABASE_URL: url, DATABASE_SCHEMA: schema } : {};
  const config = loadConfig({ ...process.env, ...env, ONEGRID_DATA_DIR: dir, ONEGRID_LOG_LEVEL: 'silent' });
  const deps = await openDeps(config, pino({ level: 'silent' }));
  try {
    log(`\n== ${dialect}: ${n.toLocaleString('en')} cases`);
    await loadDemoDistrict(deps, { district: await testDemoDistrict() });
    const f = await generate(deps, n, log);
    const reps = 100;
    const withIdx = await measure(deps, f, reps, 0);
    await dropIndexes(deps.database.db);
    const fewer = 5;
    const without = await measure(deps, f, fewer, reps);
    log(`${'query'.padEnd(28)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)}  | without indexes: ${'p50'.padStart(8)} ${'p99'.padStart(8)}  (n)   ratio p50`);
    const row = (name: string, a: { p50: number; p99: number; n: number }, b: { p50: number; p99: number; n: number }) =>
      log(`${name.padEnd(28)} ${ms(a.p50)} ${ms(a.p99)}  |                  ${ms(b.p50)} ${ms(b.p99)}  (${b.n})  ×${(b.p50 / a.p50).toFixed(1)}`);
    for (const name of Object.keys(withIdx.list)) row(`list: ${name}`, withIdx.list[name]!, without.list[name]!);
    row('case detail', withIdx.detail, without.detail);
    row('transition (accept)', withIdx.move, without.move);
    log(`${'overdue sweep (all cases)'.padEnd(28)} ${ms(withIdx.sweepMs)}           |                  ${ms(without.sweepMs)}            ×${(without.sweepMs / withIdx.sweepMs).toFixed(1)}`);
  } finally {
    await deps.database.close();
    rmSync(dir, { recursive: true, force: true });
    if (dialect === 'postgres') {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query(`drop schema if exists "${schema}" cascade`);
      await c.end();
    }
  }
}

export async function run(args: string[]): Promise<void> {
  const n = Number(arg(args, 'cases', '1000000'));
  const which = arg(args, 'dialect', 'both');
  if (which === 'sqlite' || which === 'both') await runDialect('sqlite', n);
  if (which === 'postgres' || which === 'both') await runDialect('postgres', n);
}
