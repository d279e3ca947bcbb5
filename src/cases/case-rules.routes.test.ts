import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../platform/testing/db.js';
import { buildTestApp, type TestApp } from '../testing/http.js';
import { countRows, loadCategories } from './case-rules.test-support.js';

type Who = { cookie: string; csrf: string };

for (const dialect of DIALECTS) {
  describe(`time limits and calendar over HTTP [${dialect}]`, () => {
    let t: TestApp;
    let staff: Who;
    let dispatcher: Who;
    let officer: Who;
    const call = (who: Who | null, method: 'GET' | 'PUT' | 'DELETE', url: string, payload?: unknown) =>
      t.app.inject({
        method,
        url,
        headers: who
          ? { cookie: who.cookie, 'x-csrf-token': who.csrf, 'accept-language': 'en' }
          : { 'accept-language': 'en' },
        ...(payload === undefined ? {} : { payload: payload as object }),
      });
    const body = {
      scope: 'event:06010',
      grade: '*',
      step: 'handle',
      n: 2,
      unit: 'workday',
      basis: '区局通知: 2 个工作日',
    };

    beforeAll(async () => {
      t = await buildTestApp(dialect);
      await loadCategories(t.deps);
      staff = await t.signIn('bureaustaff');
      dispatcher = await t.signIn('dispatcher');
      officer = await t.signIn('officer');
    }, 120_000);
    afterAll(async () => t?.close());

    it('lists the effective table with origins; the bureau edits and reverts an entry', async () => {
      expect((await call(null, 'GET', '/api/time-limits')).statusCode).toBe(401);
      const list = await call(officer, 'GET', '/api/time-limits');
      expect(list.statusCode).toBe(200);
      const items = (list.json() as { items: Array<{ scope: string; step: string; origin: string }> }).items;
      expect(new Set(items.map((i) => i.origin))).toEqual(new Set(['default', 'category']));

      const put = await call(staff, 'PUT', '/api/time-limits', body);
      expect(put.statusCode).toBe(200);
      expect(put.json()).toMatchObject({
        origin: 'bureau',
        rule: { n: 2 },
        replaces: { origin: 'default' },
        bureau: { version: 1 },
      });
      const stale = await call(staff, 'PUT', '/api/time-limits', { ...body, n: 5, version: 7 });
      expect(stale.statusCode).toBe(409);

      const url = '/api/time-limits?scope=event:06010&grade=*&step=handle';
      const del = await call(staff, 'DELETE', url);
      expect(del.statusCode).toBe(200);
      expect(del.json()).toMatchObject({ inEffect: { origin: 'default', rule: { n: 1, unit: 'workday' } } });
      expect((await call(staff, 'DELETE', url)).statusCode).toBe(404);
    });

    it('refuses bad entries with 400 naming the field, other roles with 403; nothing stored', async () => {
      const bad = await call(staff, 'PUT', '/api/time-limits', { ...body, scope: 'garbage' });
      expect(bad.statusCode).toBe(400);
      expect(bad.json()).toMatchObject({ error: { code: 'Invalid', details: { field: 'scope' } } });
      expect((bad.json() as { error: { message: string } }).error.message).toContain('category key');
      const zero = await call(staff, 'PUT', '/api/time-limits', { ...body, n: 0 });
      expect(zero.statusCode).toBe(400);
      expect((await call(staff, 'PUT', '/api/time-limits', { ...body, unit: 'week' })).statusCode).toBe(400);
      expect((await call(dispatcher, 'PUT', '/api/time-limits', body)).statusCode).toBe(403);
      expect((await call({ ...staff, csrf: 'wrong' }, 'PUT', '/api/time-limits', body)).statusCode).toBe(403);
      expect(await countRows(t.deps, 'time_limit')).toBe(0);
    });

    it('refuses a deadline in an unknown year with 422 DeadlineUnknown until the bureau declares the year', async () => {
      const deadline = '/api/calendar/deadline?from=2026-12-30T10:00:00%2B08:00&add=3&unit=workday';
      const unknown = await call(officer, 'GET', deadline);
      expect(unknown.statusCode).toBe(422);
      expect(unknown.json()).toMatchObject({ error: { code: 'DeadlineUnknown', details: { year: 2027 } } });
      expect((unknown.json() as { error: { message: string } }).error.message).toContain('2027');

      expect((await call(staff, 'PUT', '/api/calendar/years/2027', {})).statusCode).toBe(409);
      const day = await call(staff, 'PUT', '/api/calendar/days/2027-01-01', {
        kind: 'holiday',
        name: '元旦',
      });
      expect(day.statusCode).toBe(200);
      expect(day.json()).toEqual({ date: '2027-01-01', kind: 'holiday', name: '元旦', origin: 'bureau' });
      // A body-less declaration is fine too; the note comes with the second one.
      expect((await call(staff, 'PUT', '/api/calendar/years/2027')).statusCode).toBe(200);
      const year = await call(staff, 'PUT', '/api/calendar/years/2027', { note: '国务院 2026 年 11 月通知' });
      expect(year.statusCode).toBe(200);
      expect(year.json()).toMatchObject({
        year: 2027,
        known: true,
        declared: true,
        note: '国务院 2026 年 11 月通知',
      });

      const due = await call(officer, 'GET', deadline);
      expect(due.statusCode).toBe(200);
      expect(due.json()).toMatchObject({
        due: '2027-01-05T23:59:59.999+08:00',
        rule: { n: 3, unit: 'workday' },
      });

      // The declared year's only weekday holiday cannot be removed; withdraw the year first.
      expect((await call(staff, 'DELETE', '/api/calendar/days/2027-01-01')).statusCode).toBe(409);
      expect((await call(staff, 'DELETE', '/api/calendar/years/2027')).json()).toMatchObject({
        known: false,
        declared: false,
      });
      expect((await call(staff, 'DELETE', '/api/calendar/days/2027-01-01')).statusCode).toBe(204);
      expect((await call(officer, 'GET', deadline)).statusCode).toBe(422);
    });

    it('names the field of a bad date, year or instant, and refuses calendar edits by other roles', async () => {
      const noZone = await call(
        officer,
        'GET',
        '/api/calendar/deadline?from=2026-12-01T10:00:00&add=1&unit=day',
      );
      expect(noZone.statusCode).toBe(400);
      expect(noZone.json()).toMatchObject({ error: { code: 'Invalid', details: { field: 'from' } } });
      const badDate = await call(staff, 'PUT', '/api/calendar/days/2027-02-30', { kind: 'holiday' });
      expect(badDate.statusCode).toBe(400);
      expect(badDate.json()).toMatchObject({ error: { details: { field: 'date' } } });
      expect(
        (await call(staff, 'PUT', '/api/calendar/days/2027-01-01', { kind: 'vacation' })).statusCode,
      ).toBe(400);
      expect((await call(officer, 'GET', '/api/calendar?year=abc')).statusCode).toBe(400);
      expect(
        (await call(dispatcher, 'PUT', '/api/calendar/days/2026-12-01', { kind: 'holiday' })).statusCode,
      ).toBe(403);
      expect(await countRows(t.deps, 'calendar_override')).toBe(0);

      const y2026 = await call(officer, 'GET', '/api/calendar?year=2026');
      expect(y2026.statusCode).toBe(200);
      expect(y2026.json()).toMatchObject({ year: 2026, known: true, declared: false });
      expect((y2026.json() as { days: unknown[] }).days).toContainEqual({
        date: '2026-02-14',
        kind: 'workday',
        name: '春节',
        origin: 'library',
      });
    });
  });
}
