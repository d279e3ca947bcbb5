import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOUR_MS } from '../platform/calendar/shanghai-time.js';
import { DIALECTS } from '../platform/testing/db.js';
import { buildTestApp, type TestApp } from '../testing/http.js';
import { DEFAULT_ALERT_SETTINGS as S } from './alerts.js';
import { sweepDeadlines } from './alerts.service.js';
import { demoUnits, insertTestCase } from './alerts.test-support.js';

type Who = { cookie: string; csrf: string };
interface AlertView {
  id: string;
  kind: string;
  kindLabel: string;
  caseCode: string;
  current: boolean;
  unit: { id: string; name: string };
  role: string | null;
  message: string;
  readAt: string | null;
}

describe.each(DIALECTS)('alerts over HTTP (%s)', (dialect) => {
  let t: TestApp;
  let units: Awaited<ReturnType<typeof demoUnits>>;
  const who: Record<string, Who> = {};
  const T = Date.now();

  beforeAll(async () => {
    t = await buildTestApp(dialect);
    const db = t.deps.database.db;
    units = await demoUnits(db);
    // Overdue past the squad leader's limit in the workstation (处置 is the workstation's, escalation the
    // squad's) and in the department (拆违办, held by no squad: escalation goes to the bureau leader); due
    // soon in the squad's own verify step.
    await insertTestCase(db, {
      code: 'AJ-WS',
      unitId: units.workstation.id,
      dueAt: new Date(T - S.escalateLeaderAfterMs - HOUR_MS),
    });
    await insertTestCase(db, {
      code: 'AJ-DEPT',
      unitId: units.department.id,
      dueAt: new Date(T - S.escalateLeaderAfterMs - HOUR_MS),
    });
    await insertTestCase(db, {
      code: 'AJ-SQ',
      unitId: units.squad.id,
      step: 'verify',
      dueAt: new Date(T + HOUR_MS),
    });
    await sweepDeadlines(t.deps);
    for (const u of ['workstation', 'squadleader', 'dispatcher', 'liaison', 'leader', 'resident'])
      who[u] = await t.signIn(u);
  });
  afterAll(async () => t?.close());

  const get = async (w: Who, query = '') => {
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/alerts${query}`,
      headers: { cookie: w.cookie },
    });
    return { status: res.statusCode, body: res.json() as { items: AlertView[]; unread: number } };
  };
  const read = (w: Who, id: string) =>
    t.app.inject({
      method: 'POST',
      url: `/api/alerts/${id}/read`,
      headers: { cookie: w.cookie, 'x-csrf-token': w.csrf },
    });
  const summary = (items: AlertView[]) => items.map((a) => `${a.caseCode}:${a.kind}`).sort();

  it('shows each unit its own alerts and those of the units below it', async () => {
    // The workstation: only its own case's overdue notice.
    expect(summary((await get(who.workstation!)).body.items)).toEqual(['AJ-WS:overdue']);
    // The liaison of 拆违办: only the department's overdue notice, not the escalation above it.
    expect(summary((await get(who.liaison!)).body.items)).toEqual(['AJ-DEPT:overdue']);
    // The squad leader sees the subdistrict (the workstation is below it) and the escalation addressed to them.
    expect(summary((await get(who.squadleader!)).body.items)).toEqual([
      'AJ-SQ:warn',
      'AJ-WS:escalateLeader',
      'AJ-WS:overdue',
    ]);
    // The dispatcher, in the same squad, is not sent the squad leader's escalation.
    expect(summary((await get(who.dispatcher!)).body.items)).toEqual(['AJ-SQ:warn', 'AJ-WS:overdue']);
    // The bureau leader sees the district, including the department's escalation to the bureau leader.
    expect(summary((await get(who.leader!)).body.items)).toEqual([
      'AJ-DEPT:escalateLeader',
      'AJ-DEPT:overdue',
      'AJ-SQ:warn',
      'AJ-WS:escalateLeader',
      'AJ-WS:overdue',
    ]);
  });

  it('presents the alert with its Chinese text, a label in the caller’s language, and the unit', async () => {
    const { body } = await get(who.workstation!);
    const [a] = body.items;
    expect(a).toMatchObject({
      kind: 'overdue',
      kindLabel: '已超期',
      current: true,
      unit: { id: units.workstation.id },
      role: null,
      readAt: null,
    });
    expect(a?.message).toMatch(/^案件 AJ-WS 处置 已于 \d{4}-\d\d-\d\d \d\d:\d\d 超期（依据：测试时限）$/);
    const en = await t.app.inject({
      method: 'GET',
      url: '/api/alerts?lang=en',
      headers: { cookie: who.workstation!.cookie },
    });
    expect((en.json() as { items: AlertView[] }).items[0]?.kindLabel).toBe('Overdue');
  });

  it('filters by kind and by read state, and puts unread first', async () => {
    expect(summary((await get(who.squadleader!, '?kind=escalateLeader')).body.items)).toEqual([
      'AJ-WS:escalateLeader',
    ]);
    const before = await get(who.squadleader!);
    expect(before.body.unread).toBe(3);
    const warn = before.body.items.find((a) => a.kind === 'warn')!;
    const res = await read(who.squadleader!, warn.id);
    expect(res.statusCode).toBe(200);
    const { readAt } = res.json() as { readAt: string };
    expect(new Date(readAt).getTime()).toBeGreaterThan(0);

    const after = await get(who.squadleader!);
    expect(after.body.unread).toBe(2);
    expect(after.body.items.map((a) => a.readAt === null)).toEqual([true, true, false]);
    expect(summary((await get(who.squadleader!, '?unread=false')).body.items)).toEqual(['AJ-SQ:warn']);
    expect(summary((await get(who.squadleader!, '?unread=true')).body.items)).toEqual([
      'AJ-WS:escalateLeader',
      'AJ-WS:overdue',
    ]);

    // Reading again keeps the first time and writes nothing.
    const audits = async () =>
      Number(
        (
          await t.deps.database.db
            .selectFrom('audit_entry')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('action', '=', 'caseAlert.read')
            .executeTakeFirstOrThrow()
        ).n,
      );
    const n = await audits();
    const again = await read(who.squadleader!, warn.id);
    expect(again.json()).toEqual({ id: warn.id, readAt });
    expect(await audits()).toBe(n);
  });

  it('answers 404 for an alert the caller may not see, exactly as for a missing one', async () => {
    const escalation = (await get(who.squadleader!, '?kind=escalateLeader')).body.items[0]!;
    const out = await read(who.workstation!, escalation.id);
    expect(out.statusCode).toBe(404);
    // In the squad itself, the dispatcher may not read the squad leader's escalation either.
    expect((await read(who.dispatcher!, escalation.id)).statusCode).toBe(404);
    const missing = await read(who.workstation!, 'no-such-alert');
    expect(missing.statusCode).toBe(404);
    expect((out.json() as { error: { code: string } }).error.code).toBe(
      (missing.json() as { error: { code: string } }).error.code,
    );
    expect((await get(who.squadleader!, '?kind=escalateLeader')).body.items[0]?.readAt).toBeNull();
  });

  it('refuses callers without cases:read, anonymous callers, a write without the CSRF token, and bad filters', async () => {
    expect((await get(who.resident!)).status).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: '/api/alerts' })).statusCode).toBe(401);
    const id = (await get(who.workstation!)).body.items[0]!.id;
    const noCsrf = await t.app.inject({
      method: 'POST',
      url: `/api/alerts/${id}/read`,
      headers: { cookie: who.workstation!.cookie },
    });
    expect(noCsrf.statusCode).toBe(403);
    expect((await get(who.workstation!, '?kind=whatever')).status).toBe(400);
    expect((await get(who.workstation!, '?limit=0')).status).toBe(400);
  });
});
