// `npm run bench -- intake [--duration=S] [--connections=N] [--synchronous=FULL|NORMAL]`: reports per
// second over HTTP with 50 connections — anonymous resident JSON reports at jittered compound locations of
// the demo district, each routed through every grid layer and checked for duplicates against open cases —
// beside a bare Fastify route that does one SQLite INSERT of the same body (same pragmas) in the same run.
// Afterwards it checks that the database holds exactly as many reports as the server answered 201.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import SQLite from 'better-sqlite3';
import Fastify from 'fastify';
import { pino } from 'pino';
import { buildApp, openDeps } from '../src/app.js';
import { loadConfig } from '../src/platform/config/config.js';
import { loadDemoDistrict } from '../src/registry/demo.service.js';
import { testDemoDistrict } from '../src/testing/demo-district.js';

interface Result {
  rps: number;
  p50: number;
  p99: number;
  ok: number;
  errors: number;
  non2xx: number;
}

const arg = (args: string[], name: string, fallback: string) =>
  args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback;

/** A small seeded RNG (mulberry32): the same run sends the same reports. */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function cannon(opts: autocannon.Options): Promise<Result> {
  const r = await autocannon(opts);
  return {
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    ok: r['2xx'],
    errors: r.errors,
    non2xx: r.non2xx,
  };
}

const fmt = (r: Result) =>
  `${r.rps.toFixed(0).padStart(6)} req/s  p50 ${String(r.p50).padStart(4)} ms  p99 ${String(r.p99).padStart(4)} ms  2xx ${r.ok}  non-2xx ${r.non2xx}  errors ${r.errors}`;

export async function run(args: string[]): Promise<void> {
  const duration = Number(arg(args, 'duration', '10'));
  const connections = Number(arg(args, 'connections', '50'));
  const synchronous = arg(args, 'synchronous', 'FULL').toUpperCase();
  const dir = mkdtempSync(join(tmpdir(), 'onegrid-bench-intake-'));
  const config = loadConfig({
    ...process.env,
    ONEGRID_DATA_DIR: dir,
    ONEGRID_LOG_LEVEL: 'silent',
    ONEGRID_SQLITE_SYNCHRONOUS: synchronous,
    ONEGRID_ANONYMOUS_REPORT_RATE_LIMIT: '1000000',
  });
  const deps = await openDeps(config, pino({ level: 'silent' }));
  await loadDemoDistrict(deps, { district: await testDemoDistrict() });
  const db = deps.database.db;
  const compounds = await db
    .selectFrom('compound')
    .select(['lng', 'lat'])
    .where('lng', 'is not', null)
    .limit(5000)
    .execute();
  const categories = (
    await db.selectFrom('category').select('key').where('active', '=', 1).orderBy('key').limit(40).execute()
  ).map((c) => c.key);
  const app = await buildApp(deps);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const appUrl = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;

  const bareDb = new SQLite(join(dir, 'bare.sqlite'));
  bareDb.pragma('journal_mode = WAL');
  bareDb.pragma(`synchronous = ${synchronous}`);
  bareDb.exec('create table report (id integer primary key, body text not null, received_at text not null)');
  const insert = bareDb.prepare('insert into report (body, received_at) values (?, ?)');
  const bare = Fastify();
  bare.post('/bare', async (req, reply) => {
    const r = insert.run(JSON.stringify(req.body), new Date().toISOString());
    return reply.status(201).send({ id: Number(r.lastInsertRowid) });
  });
  await bare.listen({ port: 0, host: '127.0.0.1' });
  const bareUrl = `http://127.0.0.1:${(bare.server.address() as { port: number }).port}`;

  const random = rng(20261129);
  const body = () => {
    const c = compounds[Math.floor(random() * compounds.length)] ?? { lng: 121.38, lat: 31.11 };
    // ±~150 m around a compound, WGS-84: some land near an open case of the same category and join it.
    return JSON.stringify({
      channel: 'resident',
      categoryKey: categories[Math.floor(random() * categories.length)],
      description: '小区门口有暴露垃圾，已经两天没人清理，影响通行。',
      location: { lng: (c.lng ?? 0) + (random() - 0.5) * 0.003, lat: (c.lat ?? 0) + (random() - 0.5) * 0.003, crs: 'wgs84', accuracy: 15 },
      reporter: { name: '市民', phone: '13800138000' },
    });
  };
  const requests = [
    {
      method: 'POST' as const,
      setupRequest: (req: autocannon.Request) => ({ ...req, body: body() }),
    },
  ];
  const headers = { 'content-type': 'application/json' };
  process.stdout.write(
    `OneGrid intake bench: SQLite synchronous=${synchronous}, ${connections} connections, ${duration} s per run, ` +
      `${compounds.length} compounds, ${categories.length} categories\n`,
  );
  // Warm-up: routing index build, JIT.
  await cannon({ url: `${appUrl}/api/reports`, headers, requests, connections: 4, duration: 2 });
  await cannon({ url: `${bareUrl}/bare`, headers, requests, connections: 4, duration: 1 });
  const bareRun = await cannon({ url: `${bareUrl}/bare`, headers, requests, connections, duration });
  const before = Number(
    (await db.selectFrom('report').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n,
  );
  const intake = await cannon({ url: `${appUrl}/api/reports`, headers, requests, connections, duration });
  const after = Number(
    (await db.selectFrom('report').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n,
  );
  const merged = Number(
    (
      await db
        .selectFrom('report')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('case_id', 'in', (q) =>
          q.selectFrom('report').select('case_id').groupBy('case_id').having((eb) => eb.fn.countAll(), '>', 1),
        )
        .executeTakeFirstOrThrow()
    ).n,
  );
  process.stdout.write(`bare INSERT route   ${fmt(bareRun)}\n`);
  process.stdout.write(`POST /api/reports   ${fmt(intake)}\n`);
  process.stdout.write(
    `ratio: ${((intake.rps / bareRun.rps) * 100).toFixed(1)}% of the bare route; p99 ${intake.p99} ms vs ${bareRun.p99} ms\n`,
  );
  // autocannon stops counting at the deadline: requests still in flight then (at most one per connection)
  // are stored but not counted. Exactly-once under a crash is the SIGKILL test's job (reports.crash.test.ts).
  const stored = after - before;
  const consistent = stored >= intake.ok && stored <= intake.ok + connections;
  process.stdout.write(
    `stored ${stored} reports for ${intake.ok} answers 201 counted before the deadline (+${stored - intake.ok} in flight; ${consistent ? 'consistent' : 'INCONSISTENT'}); ` +
      `${merged} reports sit on cases with more than one report (duplicate merging)\n`,
  );
  await app.close();
  await bare.close();
  bareDb.close();
  await deps.database.close();
  rmSync(dir, { recursive: true, force: true });
  if (!consistent) process.exitCode = 1;
}
