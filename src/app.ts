import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import { Gauge } from 'prom-client';
import { pino, type Logger } from 'pino';
import type { Deps } from './deps.js';
import type { DB } from './schema.js';
import { countJobsByStatus, jobDatabase } from './platform/jobs/jobs.store.js';
import { accessMessages } from './access/access.messages.js';
import { accessRoutes } from './access/access.routes.js';
import { registryRoutes } from './registry/registry.routes.js';
import { partiesMessages } from './registry/parties.messages.js';
import { partiesRoutes } from './registry/parties.routes.js';
import { categoryRoutes } from './registry/categories.routes.js';
import { categoryMessages } from './registry/categories.messages.js';
import { gridLayerRoutes } from './registry/grid-layers.routes.js';
import { gridLayerMessages } from './registry/grid-layers.messages.js';
import { photoMessages } from './intake/photos.messages.js';
import { photoRoutes } from './intake/photos.routes.js';
import { reportRoutes } from './intake/reports.routes.js';
import { reportMessages } from './intake/reports.messages.js';
import { matchingMessages } from './matching/matching.messages.js';
import { matchingRoutes } from './matching/matching.routes.js';
import { routingRoutes } from './routing/routing.routes.js';
import { routingMessages } from './routing/routing.messages.js';
import { createRoutingEngine } from './routing/routing.service.js';
import { caseRulesOf } from './cases/cases.service.js';
import { casesMessages } from './cases/cases.messages.js';
import { casesRoutes } from './cases/cases.routes.js';
import { dualReportMessages } from './dualreport/dual-report.messages.js';
import { dualReportRoutes } from './dualreport/dual-report.routes.js';
import { patrolMessages } from './patrols/patrols.messages.js';
import { patrolRoutes } from './patrols/patrols.routes.js';
import { caseRulesMessages } from './cases/case-rules.messages.js';
import { caseRulesRoutes } from './cases/case-rules.routes.js';
import { ratingMessages } from './cases/ratings.messages.js';
import { ratingRoutes } from './cases/ratings.routes.js';
import { followerMessages } from './cases/followers.messages.js';
import { followerRoutes } from './cases/followers.routes.js';
import { alertMessages } from './cases/alerts.messages.js';
import { alertRoutes } from './cases/alerts.routes.js';
import { migrations } from './migrations/index.js';
import { open311Routes } from './open311/open311.routes.js';
import { ensureSecret, projectRoot, type Config } from './platform/config/config.js';
import { ensureSchema, openDatabase } from './platform/db/database.js';
import { migrateToLatest } from './platform/db/migrate.js';
import { platformMessages } from './platform/http/messages.js';
import { createHttpServer, type HttpServer } from './platform/http/server.js';

export const VERSION = '0.1.0';

export function createLogger(config: Pick<Config, 'logLevel'>): Logger {
  return pino({
    level: config.logLevel,
    redact: { paths: ['req.headers.cookie', 'req.headers.authorization', 'req.headers["x-api-key"]', '*.password'], censor: '[redacted]' },
  });
}

/** Opens the database named by the configuration, refuses one newer than the code, and migrates it. */
export async function openDeps(config: Config, logger: Logger = createLogger(config)): Promise<Deps> {
  const cfg = ensureSecret(config);
  await ensureSchema(cfg.database);
  const database = openDatabase<DB>(cfg.database);
  try {
    const ran = await migrateToLatest(database.db, migrations, database.schema ?? (database.dialect === 'postgres' ? 'public' : undefined));
    for (const r of ran) logger.info({ migration: r.migrationName, status: r.status }, 'migration');
  } catch (e) {
    await database.close();
    throw e;
  }
  return { database, config: cfg, clock: () => new Date(), logger };
}

const webDist = () => join(projectRoot(), 'web', 'dist');

/** The HTTP application: the platform plus every capability's routes and the web console. */
export async function buildApp(deps: Deps): Promise<HttpServer> {
  const dist = webDist();
  let indexHtml: string | undefined;
  const { app, metrics } = await createHttpServer({
    logger: deps.logger,
    bodyLimit: deps.config.bodyLimit,
    messages: {
      ...platformMessages,
      ...accessMessages,
      ...gridLayerMessages,
      ...categoryMessages,
      ...partiesMessages,
      ...routingMessages,
      ...photoMessages,
      ...reportMessages,
      // [cases messages]
      ...casesMessages,
      // [case rules messages]
      ...caseRulesMessages,
      ...ratingMessages,
      ...followerMessages,
      ...alertMessages, // [alerts messages]
      // [dual report messages]
      ...dualReportMessages,
      ...patrolMessages,
      ...matchingMessages, // [matching messages]
    },
    secret: deps.config.secret,
    version: VERSION,
    ready: () => deps.database.ping(),
    spaIndexHtml: () => (indexHtml ??= existsSync(join(dist, 'index.html')) ? readFileSync(join(dist, 'index.html'), 'utf8') : undefined),
  });

  new Gauge({
    name: 'onegrid_db_pool_connections',
    help: 'Database pool connections by state',
    labelNames: ['state'] as const,
    registers: [metrics],
    collect() {
      const s = deps.database.poolStats();
      this.set({ state: 'total' }, s.total);
      this.set({ state: 'idle' }, s.idle);
      this.set({ state: 'waiting' }, s.waiting);
    },
  });
  new Gauge({
    name: 'onegrid_job_queue_depth',
    help: 'Jobs waiting to run, by status',
    labelNames: ['status'] as const,
    registers: [metrics],
    async collect() {
      const counts = await countJobsByStatus(jobDatabase(deps.database));
      this.set({ status: 'queued' }, counts.queued);
      this.set({ status: 'running' }, counts.running);
    },
  });

  await app.register(async (scope) => accessRoutes(scope as unknown as HttpServer, deps));
  await app.register(async (scope) => registryRoutes(scope as unknown as HttpServer, deps));
  await app.register(async (scope) => partiesRoutes(scope as unknown as HttpServer, deps));
  await app.register(async (scope) => categoryRoutes(scope as unknown as HttpServer, deps));
  await app.register(async (scope) => gridLayerRoutes(scope as unknown as HttpServer, deps));
  await app.register(async (scope) => photoRoutes(scope as unknown as HttpServer, deps));
  // One routing engine (in-memory index and rules) per app; intake resolves through the same instance.
  const routing = createRoutingEngine(deps);
  await app.register(async (scope) => routingRoutes(scope as unknown as HttpServer, deps, routing));
  await app.register(async (scope) => reportRoutes(scope as unknown as HttpServer, deps, routing));
  await app.register(async (scope) => open311Routes(scope as unknown as HttpServer, deps, { engine: routing }), { prefix: '/open311/v2' });
  // One rules source (time limits + working-day calendar) per app, shared by every case service.
  const caseRules = caseRulesOf(deps);
  // [cases routes]
  await app.register(async (scope) => casesRoutes(scope as unknown as HttpServer, deps, caseRules));
  // [case rules routes: time limits, calendar, ratings, followers]
  await app.register(async (scope) => caseRulesRoutes(scope as unknown as HttpServer, deps, caseRules));
  await app.register(async (scope) => ratingRoutes(scope as unknown as HttpServer, deps));
  await app.register(async (scope) => followerRoutes(scope as unknown as HttpServer, deps));
  await app.register(async (scope) => alertRoutes(scope as unknown as HttpServer, deps)); // [alerts routes]
  // [dual report + patrol routes]
  // Deliveries' deadlines come from the same working-day calendar as the cases' (第7条's are natural hours),
  // read from the rules source at each report, so an edited override applies without a restart.
  const dualReportCalendar = async () => (await caseRules.limits()).calendar;
  await app.register(async (scope) => dualReportRoutes(scope as unknown as HttpServer, deps, { engine: routing, calendar: dualReportCalendar }));
  await app.register(async (scope) => patrolRoutes(scope as unknown as HttpServer, deps));
  await app.register(async (scope) => matchingRoutes(scope as unknown as HttpServer, deps)); // [matching routes]

  if (existsSync(dist)) {
    await app.register(fastifyStatic, { root: dist, prefix: '/', wildcard: false, index: ['index.html'] });
  }
  return app;
}
