import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../platform/testing/db.js';
import { buildTestApp, type TestApp } from '../testing/http.js';
import { openTestCase, skeletonUnits, type Units } from './cases.test-support.js';

type Session = { cookie: string; csrf: string };

describe.each(DIALECTS)('cases routes [%s]', (dialect) => {
  let t: TestApp;
  let u: Units;
  const s: Record<string, Session> = {};
  const get = (url: string, who?: Session) =>
    t.app.inject({ method: 'GET', url, headers: who ? { cookie: who.cookie } : {} });
  const post = (url: string, who: Session, payload: unknown) =>
    t.app.inject({
      method: 'POST',
      url,
      headers: { cookie: who.cookie, 'x-csrf-token': who.csrf, 'content-type': 'application/json' },
      payload: JSON.stringify(payload),
    });

  beforeAll(async () => {
    t = await buildTestApp(dialect);
    u = await skeletonUnits(t.deps);
    for (const name of ['dispatcher', 'squadleader', 'officer', 'workstation', 'liaison']) s[name] = await t.signIn(name);
  });
  afterAll(async () => t.close());

  it('lists, shows and moves a case; a stale version is a 409 carrying the current state', async () => {
    const id = await openTestCase(t.deps, u);
    expect((await get('/api/cases')).statusCode).toBe(401);
    const list = await get('/api/cases?status=active&step=collect,open', s.dispatcher);
    expect(list.statusCode).toBe(200);
    expect(list.json().items.map((c: { id: string }) => c.id)).toContain(id);
    expect((await get('/api/cases?step=nowhere', s.dispatcher)).statusCode).toBe(400);
    expect((await get('/api/cases?from=2026-12-01', s.dispatcher)).json().error).toMatchObject({
      code: 'Invalid',
      details: { field: 'from' },
    });

    const detail = await get(`/api/cases/${id}`, s.dispatcher);
    expect(detail.statusCode).toBe(200);
    expect(detail.json()).toMatchObject({ id, step: 'collect', version: 1, reports: [{ reporterPhone: '13900001111' }] });
    expect(detail.json().allowedMoves).toContain('accept');
    expect(detail.json().deadline.basis).toEqual(expect.any(String));
    expect((await get(`/api/cases/${id}`, s.officer)).json().reports[0].reporterPhone).toBe('139****1111');
    // outside the workstation's scope: exactly like a case that does not exist
    const hidden = await get(`/api/cases/${id}`, s.workstation);
    const missing = await get('/api/cases/00000000-0000-4000-8000-000000000000', s.workstation);
    expect(hidden.statusCode).toBe(404);
    expect(hidden.json().error.code).toBe(missing.json().error.code);

    const accepted = await post(`/api/cases/${id}/moves`, s.dispatcher!, { type: 'accept', expectedVersion: 1 });
    expect(accepted.statusCode).toBe(200);
    expect(accepted.json()).toMatchObject({ step: 'open', version: 2, timeline: [{ seq: 1, move: 'accept' }] });

    const stale = await post(`/api/cases/${id}/moves?lang=en`, s.dispatcher!, { type: 'reject', reason: 'x', expectedVersion: 1 });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error).toMatchObject({
      code: 'Conflict',
      details: { expectedVersion: 1, currentVersion: 2, current: { step: 'open', version: 2 } },
    });
    expect(stale.json().error.message).toContain('version 2');

    const notHis = await post(`/api/cases/${id}/moves`, s.dispatcher!, { type: 'open', expectedVersion: 2 });
    expect(notHis.statusCode).toBe(403);
    const illegal = await post(`/api/cases/${id}/moves`, s.squadleader!, { type: 'close', expectedVersion: 2 });
    expect(illegal.statusCode).toBe(400);
    expect(illegal.json().error.details).toMatchObject({ from: 'open', allowed: expect.arrayContaining(['open', 'decline']) });
    expect((await post(`/api/cases/${id}/moves`, s.squadleader!, { type: 'decline', expectedVersion: 2 })).statusCode).toBe(400);
    expect((await post(`/api/cases/${id}/moves`, s.squadleader!, { type: 'open', expectedVersion: 2, extra: 1 })).statusCode).toBe(400);
    expect((await get(`/api/cases/${id}`, s.dispatcher)).json().version).toBe(2);

    const tasks = await get('/api/my/tasks', s.squadleader);
    expect(tasks.statusCode).toBe(200);
    expect(tasks.json().items.map((c: { id: string }) => c.id)).toContain(id);
    expect((await get('/api/my/tasks', s.workstation)).json().items).toEqual([]);
  });

  it('maps open cases as GeoJSON with their urgency', async () => {
    const id = await openTestCase(t.deps, u, { lng: 121.4, lat: 31.2 });
    const map = await get('/api/cases/map?bbox=121.39,31.19,121.41,31.21', s.dispatcher);
    expect(map.statusCode).toBe(200);
    expect(map.json()).toMatchObject({ type: 'FeatureCollection', truncated: false });
    const f = map.json().features.find((x: { properties: { id: string } }) => x.properties.id === id);
    expect(f).toMatchObject({ type: 'Feature', geometry: { type: 'Point', coordinates: [121.4, 31.2] }, properties: { step: 'collect' } });
    expect(['overdue', 'dueSoon', 'later', 'none']).toContain(f.properties.urgency);
    expect((await get('/api/cases/map?bbox=1,2,3', s.dispatcher)).statusCode).toBe(400);
    expect((await get('/api/cases/map?bbox=121.39,31.19,121.41,31.21', s.workstation)).json().features).toEqual([]);
  });

  it('starts the enforcement procedure and refuses a step whose document is missing', async () => {
    const id = await openTestCase(t.deps, u);
    expect((await post(`/api/cases/${id}/enforcement`, s.officer!, {})).statusCode).toBe(400); // not opened yet
    await post(`/api/cases/${id}/moves`, s.dispatcher!, { type: 'accept', expectedVersion: 1 });
    await post(`/api/cases/${id}/moves`, s.squadleader!, { type: 'open', expectedVersion: 2 });
    expect((await get(`/api/cases/${id}/enforcement`, s.officer)).statusCode).toBe(404);
    const started = await post(`/api/cases/${id}/enforcement`, s.officer!, { flags: { hearingRight: true } });
    expect(started.statusCode).toBe(201);
    expect(started.json()).toMatchObject({ version: 1, state: { step: 'filing' }, missingDocuments: ['filingApproval'] });
    expect((await post(`/api/cases/${id}/enforcement`, s.officer!, {})).statusCode).toBe(409);
    const missingDoc = await post(`/api/cases/${id}/enforcement/moves?lang=en`, s.squadleader!, {
      type: 'approveFiling',
      expectedVersion: 1,
    });
    expect(missingDoc.statusCode).toBe(400);
    expect(missingDoc.json().error).toMatchObject({ code: 'Invalid', details: { missing: ['filingApproval'] } });
    expect(missingDoc.json().error.message).toContain('filingApproval');
    const stale = await post(`/api/cases/${id}/enforcement/moves`, s.squadleader!, { type: 'approveFiling', expectedVersion: 5 });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.details).toMatchObject({ currentVersion: 1 });
    const view = await get(`/api/cases/${id}/enforcement`, s.squadleader);
    expect(view.statusCode).toBe(200);
    expect(view.json()).toMatchObject({ version: 1, allowedMoves: expect.arrayContaining(['approveFiling', 'addDocument']) });
  });
});
