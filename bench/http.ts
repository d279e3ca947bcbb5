// `npm run bench -- http`: login latency under 50 concurrent clients and authenticated GET /api/me
// throughput, each beside a bare Fastify route in the same run, printed as ratios.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import Fastify from 'fastify';
import { pino } from 'pino';
import { buildApp, openDeps } from '../src/app.js';
import { loadConfig } from '../src/platform/config/config.js';
import { seedDemoBasics, DEMO_PASSWORD } from '../src/registry/demo-seed.service.js';

interface Result {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
}

async function cannon(opts: autocannon.Options): Promise<Result> {
  const r = await autocannon({ ...opts, connections: opts.connections ?? 50, duration: opts.duration ?? 10 });
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors, non2xx: r.non2xx };
}

const fmt = (r: Result) => `${r.rps.toFixed(0).padStart(7)} req/s  p50 ${String(r.p50).padStart(4)} ms  p99 ${String(r.p99).padStart(4)} ms  errors ${r.errors} non-2xx ${r.non2xx}`;

export async function run(args: string[]): Promise<void> {
  const duration = Number(args.find((a) => a.startsWith('--duration='))?.split('=')[1] ?? 10);
  const dir = mkdtempSync(join(tmpdir(), 'onegrid-bench-'));
  const config = loadConfig({ ...process.env, ONEGRID_DATA_DIR: dir, ONEGRID_LOG_LEVEL: 'silent', ONEGRID_LOGIN_RATE_LIMIT: '100000' });
  const deps = await openDeps(config, pino({ level: 'silent' }));
  await seedDemoBasics(deps);
  const app = await buildApp(deps);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const appUrl = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;

  const bare = Fastify();
  bare.get('/bare', async () => ({ ok: true }));
  bare.post('/bare', async () => ({ ok: true }));
  await bare.listen({ port: 0, host: '127.0.0.1' });
  const bareUrl = `http://127.0.0.1:${(bare.server.address() as { port: number }).port}`;

  const loginRes = await fetch(`${appUrl}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'dispatcher', password: DEMO_PASSWORD }) });
  const cookie = (loginRes.headers.get('set-cookie') ?? '').split(';')[0] ?? '';

  process.stdout.write(`OneGrid HTTP bench (SQLite, ${duration} s per run, argon2id m=${config.argon2.memoryCost} KiB t=${config.argon2.timeCost})\n`);
  const loginBody = JSON.stringify({ username: 'dispatcher', password: DEMO_PASSWORD });
  const single = await cannon({ url: `${appUrl}/api/auth/login`, method: 'POST', headers: { 'content-type': 'application/json' }, body: loginBody, connections: 1, duration: Math.max(3, duration / 2) });
  const bareLogin = await cannon({ url: `${bareUrl}/bare`, method: 'POST', headers: { 'content-type': 'application/json' }, body: loginBody, duration });
  const login = await cannon({ url: `${appUrl}/api/auth/login`, method: 'POST', headers: { 'content-type': 'application/json' }, body: loginBody, duration });
  const bareGet = await cannon({ url: `${bareUrl}/bare`, duration });
  const me = await cannon({ url: `${appUrl}/api/me`, headers: { cookie }, duration });

  process.stdout.write(`login, 1 client          ${fmt(single)}\n`);
  process.stdout.write(`bare POST, 50 clients    ${fmt(bareLogin)}\n`);
  process.stdout.write(`login, 50 clients        ${fmt(login)}\n`);
  process.stdout.write(`bare GET, 50 clients     ${fmt(bareGet)}\n`);
  process.stdout.write(`GET /api/me, 50 clients  ${fmt(me)}\n`);
  process.stdout.write(`ratios: login p50 ${(login.p50 / Math.max(bareLogin.p50, 0.001)).toFixed(1)}× bare, login p99 ${(login.p99 / Math.max(bareLogin.p99, 0.001)).toFixed(1)}× bare; /api/me throughput ${(me.rps / bareGet.rps * 100).toFixed(1)}% of bare\n`);

  await app.close();
  await bare.close();
  await deps.database.close();
  rmSync(dir, { recursive: true, force: true });
}
