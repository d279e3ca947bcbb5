// `npm run bench -- intake [--duration=S] [--connections=N] [--synchronous=FULL|NORMAL]`: reports per
// second over HTTP with 50 connections — anonymous resident JSON reports at jittered compound locations of
// the demo district, each routed through every grid layer and checked for duplicates against open cases —
// beside a bare Fastify route that does one SQLite INSERT of the same body (same pragmas) in the same run.
// Afterwards it checks that the database holds exactly as many reports as the server answered 201.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
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

interface Load {
  url: string;
  connections: number;
  duration: number;
  compounds: { lng: number; lat: number }[];
  categories: string[];
  seed: number;
}

/** Runs autocannon in a child process (scripts/bench-load-worker.mjs): the server keeps this process. */
function cannon(load: Load): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(new URL('../scripts/bench-load-worker.mjs', import.meta.url)));
    child.once('message', (m) => resolve(m as Result));
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code !== 0) reject(new Error(`load generator exited with ${code}`));
    });
    child.send(load);
  });
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

  const points = compounds.flatMap((c) => (c.lng === null || c.lat === null ? [] : [{ lng: c.lng, lat: c.lat }]));
  const load = (url: string, n: number, seconds: number): Load => ({
    url,
    connections: n,
    duration: seconds,
    compounds: points,
    categories,
    seed: 20261129,
  });
  process.stdout.write(
    `OneGrid intake bench: SQLite synchronous=${synchronous}, ${connections} connections (load from a child process), ${duration} s per run, ` +
      `${compounds.length} compounds, ${categories.length} categories\n`,
  );
  // Warm-up: routing index build, JIT.
  await cannon(load(`${appUrl}/api/reports`, 4, 2));
  await cannon(load(`${bareUrl}/bare`, 4, 1));
  const bareRun = await cannon(load(`${bareUrl}/bare`, connections, duration));
  const before = Number(
    (await db.selectFrom('report').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n,
  );
  const intake = await cannon(load(`${appUrl}/api/reports`, connections, duration));
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
