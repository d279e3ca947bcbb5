import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DIALECTS } from '../platform/testing/db.js';
import { buildTestApp, cookieOf, type TestApp } from '../testing/http.js';
import { DEMO_PASSWORD } from '../registry/demo-seed.service.js';

for (const dialect of DIALECTS) {
  describe(`access over HTTP [${dialect}]`, () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await buildTestApp(dialect, { loginRateLimit: 100_000 });
    });
    afterAll(async () => t.close());

    it('signs in with an HttpOnly SameSite cookie, answers /api/me, and signs out', async () => {
      const res = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'squadleader', password: DEMO_PASSWORD } });
      expect(res.statusCode).toBe(200);
      const c = res.cookies.find((x) => x.name === 'og_session')!;
      expect(c.httpOnly).toBe(true);
      expect(c.sameSite).toBe('Lax');
      const { csrfToken } = res.json<{ csrfToken: string }>();
      const me = await t.app.inject({ method: 'GET', url: '/api/me', headers: { cookie: cookieOf(res) } });
      expect(me.statusCode).toBe(200);
      expect(me.json()).toMatchObject({ user: { username: 'squadleader', role: 'squadLeader', displayName: '张中队长', unit: { name: '莘庄镇城管执法中队' } } });
      // logout without the CSRF token is refused; with it, the session ends
      const noCsrf = await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie: cookieOf(res) } });
      expect(noCsrf.statusCode).toBe(403);
      expect(noCsrf.json()).toMatchObject({ error: { code: 'Forbidden', details: { header: 'x-csrf-token' } } });
      const out = await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie: cookieOf(res), 'x-csrf-token': csrfToken } });
      expect(out.statusCode).toBe(204);
      const after = await t.app.inject({ method: 'GET', url: '/api/me', headers: { cookie: cookieOf(res) } });
      expect(after.statusCode).toBe(401);
    });

    it('answers errors in the caller’s language with code and details', async () => {
      const zh = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'leader', password: 'wrong-one-1' } });
      expect(zh.statusCode).toBe(401);
      expect(zh.json()).toEqual({ error: { code: 'Unauthenticated', message: '用户名或密码错误', details: {} } });
      const en = await t.app.inject({ method: 'POST', url: '/api/auth/login', headers: { 'accept-language': 'en-US,en;q=0.9' }, payload: { username: 'leader', password: 'wrong-one-1' } });
      expect(en.json()).toMatchObject({ error: { code: 'Unauthenticated', message: 'Wrong username or password' } });
    });

    it('names the field for wrong types and unknown fields; 4xx for bad JSON, content type and size', async () => {
      const wrongType = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 5, password: 'x' } });
      expect(wrongType.statusCode).toBe(400);
      expect(wrongType.json().error.details.issues[0].field).toBe('body.username');
      const unknown = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'a', password: 'b', admin: true } });
      expect(unknown.statusCode).toBe(400);
      expect(JSON.stringify(unknown.json())).toContain('admin');
      const badJson = await t.app.inject({ method: 'POST', url: '/api/auth/login', headers: { 'content-type': 'application/json' }, payload: '{"username":' });
      expect(badJson.statusCode).toBe(400);
      expect(badJson.json().error.code).toBe('Invalid');
      const ctype = await t.app.inject({ method: 'POST', url: '/api/auth/login', headers: { 'content-type': 'text/plain' }, payload: 'hi' });
      expect(ctype.statusCode).toBe(415);
      const big = await t.app.inject({ method: 'POST', url: '/api/auth/login', headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ username: 'a'.repeat(2_000_000), password: 'x' }) });
      expect(big.statusCode).toBe(413);
      expect(big.json().error.code).toBe('PayloadTooLarge');
      const nf = await t.app.inject({ method: 'GET', url: '/api/nothing-here' });
      expect(nf.statusCode).toBe(404);
      expect(nf.json().error.code).toBe('NotFound');
    });

    it('API keys authenticate machine clients without CSRF; revoked keys do not', async () => {
      const staff = await t.signIn('bureaustaff');
      const units = await t.app.inject({ method: 'GET', url: '/api/org-units?kind=bureau', headers: { cookie: staff.cookie } });
      const bureauId = units.json().items[0].id as string;
      const created = await t.app.inject({
        method: 'POST',
        url: '/api/api-keys',
        headers: { cookie: staff.cookie, 'x-csrf-token': staff.csrf },
        payload: { name: 'open311 gateway', unitId: bureauId, permissions: ['registry:read'] },
      });
      expect(created.statusCode).toBe(201);
      const key = created.json().key as string;
      const withKey = await t.app.inject({ method: 'GET', url: '/api/org-units', headers: { authorization: `Bearer ${key}` } });
      expect(withKey.statusCode).toBe(200);
      expect(withKey.json().items.length).toBeGreaterThan(0);
      const del = await t.app.inject({ method: 'DELETE', url: `/api/api-keys/${created.json().id}`, headers: { cookie: staff.cookie, 'x-csrf-token': staff.csrf } });
      expect(del.statusCode).toBe(204);
      const revoked = await t.app.inject({ method: 'GET', url: '/api/org-units', headers: { 'x-api-key': key } });
      expect(revoked.statusCode).toBe(401);
    });

    it('scope: a record outside the caller’s scope answers exactly like one that does not exist', async () => {
      const leader = await t.signIn('leader');
      const officer = await t.signIn('officer');
      const bureau = (await t.app.inject({ method: 'GET', url: '/api/org-units?kind=bureau', headers: { cookie: leader.cookie } })).json().items[0];
      const outside = await t.app.inject({ method: 'GET', url: `/api/org-units/${bureau.id}`, headers: { cookie: officer.cookie } });
      const missing = await t.app.inject({ method: 'GET', url: '/api/org-units/00000000-0000-7000-8000-000000000000', headers: { cookie: officer.cookie } });
      expect(outside.statusCode).toBe(404);
      expect(missing.statusCode).toBe(404);
      const strip = (b: { error: { details: Record<string, unknown> } }) => ({ ...b.error, details: { ...b.error.details, id: undefined } });
      expect(strip(outside.json())).toEqual(strip(missing.json()));
    });

    it('serves OpenAPI, docs, probes, metrics and security headers', async () => {
      const oa = await t.app.inject({ method: 'GET', url: '/api/openapi.json' });
      expect(oa.statusCode).toBe(200);
      expect(oa.json().openapi).toBe('3.0.3');
      expect(Object.keys(oa.json().paths)).toEqual(expect.arrayContaining(['/api/auth/login', '/api/me', '/api/users', '/api/org-units']));
      const docs = await t.app.inject({ method: 'GET', url: '/api/docs' });
      expect([200, 302]).toContain(docs.statusCode);
      expect((await t.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
      expect((await t.app.inject({ method: 'GET', url: '/readyz' })).json()).toEqual({ status: 'ready' });
      const m = await t.app.inject({ method: 'GET', url: '/metrics' });
      expect(m.body).toContain('onegrid_http_request_duration_seconds');
      expect(m.body).toContain('onegrid_db_pool_connections');
      expect(m.body).toContain('onegrid_job_queue_depth');
      expect(m.headers['x-content-type-options']).toBe('nosniff');
      expect(String(m.headers['content-security-policy'])).toContain("default-src 'self'");
      expect(m.headers['x-request-id']).toBeTruthy();
      const given = await t.app.inject({ method: 'GET', url: '/healthz', headers: { 'x-request-id': 'abc-123' } });
      expect(given.headers['x-request-id']).toBe('abc-123');
    });

    it('fast-check: thousands of random bodies at login and users never cause a 5xx', async () => {
      const staff = await t.signIn('bureaustaff');
      const json = fc.oneof(
        fc.jsonValue(),
        fc.record({ username: fc.oneof(fc.string(), fc.integer(), fc.constant(null)), password: fc.oneof(fc.string(), fc.double(), fc.array(fc.string())) }, { requiredKeys: [] }),
        fc.record({ username: fc.string(), displayName: fc.string(), password: fc.string(), role: fc.string(), unitId: fc.string(), phone: fc.oneof(fc.string(), fc.constant(null)) }, { requiredKeys: [] }),
      );
      const raw = fc.oneof(json.map((v) => JSON.stringify(v) ?? 'null'), fc.string(), fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b).toString('latin1')));
      let n = 0;
      await fc.assert(
        fc.asyncProperty(raw, fc.constantFrom('/api/auth/login', '/api/users', '/api/users/x/password', '/api/users/x/active'), fc.constantFrom('application/json', 'application/json; charset=utf-8', 'text/plain', 'application/x-www-form-urlencoded'), async (body, url, ctype) => {
          n += 1;
          const res = await t.app.inject({ method: 'POST', url, headers: { 'content-type': ctype, cookie: staff.cookie, 'x-csrf-token': staff.csrf }, payload: body });
          if (res.statusCode >= 500) throw new Error(`${res.statusCode} for ${url} ${ctype} ${body.slice(0, 200)}: ${res.body}`);
          expect(res.json()).toBeTypeOf('object');
        }),
        { numRuns: 1500 },
      );
      expect(n).toBeGreaterThanOrEqual(1500);
    }, 120_000);
  });
}

describe('login rate limiting', () => {
  it('answers 429 with Retry-After after too many attempts for one account from one address', async () => {
    const t = await buildTestApp('sqlite', { loginRateLimit: 3 });
    try {
      const codes: number[] = [];
      for (let i = 0; i < 5; i += 1) {
        const r = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'leader', password: `wrong-${i}-x` } });
        codes.push(r.statusCode);
        if (r.statusCode === 429) {
          expect(r.json().error.code).toBe('RateLimited');
          expect(Number(r.headers['retry-after'])).toBeGreaterThan(0);
        }
      }
      expect(codes).toEqual([401, 401, 401, 429, 429]);
    } finally {
      await t.close();
    }
  });
});
