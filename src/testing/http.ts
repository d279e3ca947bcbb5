import type { LightMyRequestResponse } from 'fastify';
import { buildApp } from '../app.js';
import type { HttpServer } from '../platform/http/server.js';
import { DEMO_PASSWORD } from '../registry/demo-seed.service.js';
import type { Dialect } from '../platform/db/database.js';
import { buildTestDeps, type TestDeps } from './deps.js';

export interface TestApp {
  app: HttpServer;
  deps: TestDeps;
  /** Signs in and returns the cookie header and CSRF token for later requests. */
  signIn(username: string, password?: string): Promise<{ cookie: string; csrf: string }>;
  close(): Promise<void>;
}

export const cookieOf = (res: LightMyRequestResponse): string => {
  const c = res.cookies.find((x) => x.name === 'og_session');
  if (!c) throw new Error(`no session cookie in response ${res.statusCode}: ${res.body}`);
  return `og_session=${c.value}`;
};

/** The whole application on a fresh database of one dialect, for app.inject() tests. */
export async function buildTestApp(
  dialect: Dialect,
  opts: { loginRateLimit?: number; anonymousReportRateLimit?: number } = {},
): Promise<TestApp> {
  const deps = await buildTestDeps(dialect);
  if (opts.loginRateLimit) deps.config = { ...deps.config, loginRateLimit: opts.loginRateLimit };
  if (opts.anonymousReportRateLimit)
    deps.config = { ...deps.config, anonymousReportRateLimit: opts.anonymousReportRateLimit };
  const app = await buildApp(deps);
  await app.ready();
  return {
    app,
    deps,
    async signIn(username, password = DEMO_PASSWORD) {
      const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
      if (res.statusCode !== 200) throw new Error(`sign-in of ${username} failed: ${res.statusCode} ${res.body}`);
      return { cookie: cookieOf(res), csrf: (res.json() as { csrfToken: string }).csrfToken };
    },
    async close() {
      await app.close();
      await deps.cleanup();
    },
  };
}
