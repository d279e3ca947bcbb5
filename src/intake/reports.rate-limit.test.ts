// Anonymous report submissions are limited per client address (ONEGRID_ANONYMOUS_REPORT_RATE_LIMIT per
// minute); signed-in staff are not, and a refused submission stores nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../testing/http.js';

const body = (n: number) => ({
  channel: 'resident',
  description: `路灯不亮 ${n}`,
  location: { lng: 121.38, lat: 31.11, crs: 'wgs84' },
});

describe('anonymous report rate limit [sqlite]', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp('sqlite', { anonymousReportRateLimit: 3 });
  });
  afterAll(async () => t.close());

  const count = async () =>
    Number(
      (
        await t.deps.database.db
          .selectFrom('report')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('answers 429 with Retry-After past the limit for one address, not for another or for staff', async () => {
    for (let i = 0; i < 3; i++) {
      const r = await t.app.inject({
        method: 'POST',
        url: '/api/reports',
        payload: body(i),
        remoteAddress: '10.0.0.1',
      });
      expect(r.statusCode, r.body).toBe(201);
    }
    const before = await count();
    const refused = await t.app.inject({
      method: 'POST',
      url: '/api/reports',
      payload: body(9),
      remoteAddress: '10.0.0.1',
    });
    expect(refused.statusCode).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect((refused.json() as { error: { code: string } }).error.code).toBe('RateLimited');
    expect(await count()).toBe(before);

    const other = await t.app.inject({
      method: 'POST',
      url: '/api/reports',
      payload: body(10),
      remoteAddress: '10.0.0.2',
    });
    expect(other.statusCode).toBe(201);

    const officer = await t.signIn('officer');
    for (let i = 0; i < 5; i++) {
      const r = await t.app.inject({
        method: 'POST',
        url: '/api/reports',
        payload: { ...body(20 + i), channel: 'patrol' },
        remoteAddress: '10.0.0.1',
        headers: { cookie: officer.cookie, 'x-csrf-token': officer.csrf },
      });
      expect(r.statusCode, r.body).toBe(201);
    }
  });
});
