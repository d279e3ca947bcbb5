import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../access/roles.js';
import { verifyAuditChain } from '../access/audit.service.js';
import { DomainError } from '../platform/errors.js';
import { DIALECTS } from '../platform/testing/db.js';
import { buildTestDeps, type TestDeps } from '../testing/deps.js';
import { storePhoto } from '../intake/photos.service.js';
import { jpeg } from '../intake/photos.test-support.js';
import { reportStatusOf } from '../intake/reports.js';
import {
  caseMap,
  caseRulesOf,
  getCase,
  getEnforcement,
  listCases,
  moveCase,
  moveEnforcement,
  myTasks,
  startEnforcement,
  urgencyOf,
  type MoveInput,
} from './cases.service.js';
import {
  DEPARTMENT,
  SQUAD,
  WORKSTATION,
  openTestCase,
  skeletonUnits,
  type Units,
} from './cases.test-support.js';
import { refusalOf } from '../testing/refusal.js';

/** The domain error a promise rejects with; null when it resolves. */
const errorOf = (p: Promise<unknown>) => refusalOf(p, 'details');

describe('urgencyOf', () => {
  const now = new Date('2026-12-01T02:00:00.000Z');
  it('colours by the time left', () => {
    expect(urgencyOf('active', '2026-12-01T01:59:59.000Z', now)).toBe('overdue');
    expect(urgencyOf('active', '2026-12-01T06:00:00.000Z', now)).toBe('dueSoon');
    expect(urgencyOf('active', '2026-12-01T06:00:01.000Z', now)).toBe('later');
    expect(urgencyOf('active', null, now)).toBe('none');
    // 挂账: the clock stands still
    expect(urgencyOf('suspended', '2026-12-01T01:00:00.000Z', now)).toBe('none');
  });
});

describe.each(DIALECTS)('cases service [%s]', (dialect) => {
  let deps: TestDeps;
  let u: Units;
  let now = new Date('2026-12-01T02:00:00.000Z'); // a Tuesday, 10:00 in Shanghai
  let dispatcher: Actor;
  let leader: Actor;
  let officer: Actor;
  let liaison: Actor;
  let workstation: Actor;
  const ctx = (actor: Actor) => ({ actor, requestId: 'req-test' });
  const rules = () => caseRulesOf(deps);
  const move = (actor: Actor, id: string, m: MoveInput, version: number) =>
    moveCase(deps, rules(), ctx(actor), id, m, version);
  /** What a refused move must leave untouched. */
  const snapshot = async (id: string) => ({
    row: await deps.database.db
      .selectFrom('case_file')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow(),
    flows: (await deps.database.db.selectFrom('case_flow').select('id').where('case_id', '=', id).execute())
      .length,
    audit: (await deps.database.db.selectFrom('audit_entry').select('seq').execute()).length,
    linked: (await deps.database.db.selectFrom('attachment').select('id').where('case_id', '=', id).execute())
      .length,
  });
  const photo = async (actor: Actor, seed = 2) =>
    (await storePhoto(deps, ctx(actor), { bytes: await jpeg(320, 200, seed) })).id;

  beforeAll(async () => {
    deps = await buildTestDeps(dialect, { now: () => now });
    u = await skeletonUnits(deps);
    dispatcher = u.actor('dispatcher', SQUAD);
    leader = u.actor('squadLeader', SQUAD);
    officer = u.actor('officer', SQUAD);
    liaison = u.actor('departmentLiaison', DEPARTMENT);
    workstation = u.actor('workstationStaff', WORKSTATION);
  });
  afterAll(async () => deps.cleanup());

  it('opens a case in collect with its deadlines, and walks it through the loop to the end', async () => {
    now = new Date('2026-12-01T02:00:00.000Z');
    const id = await openTestCase(deps, u);
    let c = await getCase(deps, dispatcher, id);
    expect(c).toMatchObject({
      status: 'active',
      step: 'collect',
      channel: 'resident',
      version: 1,
      urgency: 'dueSoon',
    });
    expect(c.deadline).toMatchObject({
      rule: { n: 2, unit: 'workhour' },
      basis: expect.stringContaining('2 个工作小时内受理'),
    });
    expect(c.reporterDeadline?.basis).toContain('第26条');
    expect(c.dueAt).toBe(new Date(c.deadline!.due).toISOString());
    expect(c.allowedMoves).toEqual(expect.arrayContaining(['accept', 'reject', 'informReporter']));
    expect(c.allowedMoves).not.toContain('void'); // a squad leader's move
    // a dispatcher calls back: full phone; an officer sees it masked
    expect(c.reports[0]?.reporterPhone).toBe('13900001111');
    expect((await getCase(deps, officer, id)).reports[0]?.reporterPhone).toBe('139****1111');
    expect((await getCase(deps, officer, id)).allowedMoves).toEqual([]);

    now = new Date('2026-12-01T02:30:00.000Z');
    c = await move(dispatcher, id, { type: 'accept' }, 1);
    expect(c).toMatchObject({ step: 'open', version: 2 });
    c = await move(leader, id, { type: 'open' }, 2);
    expect(c.step).toBe('dispatch');
    // the department cannot see the case before it is dispatched to it
    expect((await errorOf(getCase(deps, liaison, id)))?.code).toBe('NotFound');
    c = await move(dispatcher, id, { type: 'dispatch', targetUnitId: u.id(DEPARTMENT) }, 3);
    expect(c).toMatchObject({
      step: 'handle',
      responsibleUnitId: u.id(DEPARTMENT),
      handlingUnitId: u.id(DEPARTMENT),
    });
    const forLiaison = await getCase(deps, liaison, id);
    expect(forLiaison.allowedMoves).toEqual(
      expect.arrayContaining(['feedback', 'return', 'requestPostpone']),
    );
    expect((await myTasks(deps, liaison)).map((t) => t.id)).toContain(id);

    now = new Date('2026-12-02T03:00:00.000Z');
    const fixed = await photo(liaison, 3);
    c = await move(liaison, id, { type: 'feedback', note: 'cleared', attachments: [fixed] }, 4);
    expect(c.step).toBe('verify');
    expect(c.attachments.map((a) => a.id)).toEqual([fixed]);
    expect((await myTasks(deps, officer)).map((t) => t.id)).toContain(id);
    const checked = await photo(officer, 4);
    c = await move(officer, id, { type: 'verify', note: 'clean', attachments: [checked] }, 5);
    c = await move(leader, id, { type: 'close' }, 6);
    expect(c).toMatchObject({ status: 'closed', step: 'evaluate' });
    expect(reportStatusOf({ status: c.status, responsibleUnitId: c.responsibleUnitId })).toBe('closed');
    c = await move(dispatcher, id, { type: 'evaluate' }, 7);
    expect(c).toMatchObject({ status: 'closed', step: 'ended', version: 8 });

    expect(c.timeline.map((f) => [f.seq, f.move, f.step, f.toStep])).toEqual([
      [1, 'accept', 'collect', 'open'],
      [2, 'open', 'open', 'dispatch'],
      [3, 'dispatch', 'dispatch', 'handle'],
      [4, 'feedback', 'handle', 'verify'],
      [5, 'verify', 'verify', 'close'],
      [6, 'close', 'close', 'evaluate'],
      [7, 'evaluate', 'evaluate', 'ended'],
    ]);
    expect(c.timeline[0]).toMatchObject({ actorId: dispatcher.id, role: 'dispatcher', onTime: true });
    expect(c.timeline[0]?.deadline?.basis).toContain('2 个工作小时内受理');
    expect(c.timeline[3]).toMatchObject({ attachments: [fixed], note: 'cleared', unitId: u.id(DEPARTMENT) });
    const entries = await deps.database.db
      .selectFrom('audit_entry')
      .select(['action', 'summary'])
      .where('entity_id', '=', id)
      .where('action', 'like', 'case.%')
      .orderBy('seq')
      .execute();
    expect(entries.map((e) => e.action)).toEqual([
      'case.accept',
      'case.open',
      'case.dispatch',
      'case.feedback',
      'case.verify',
      'case.close',
      'case.evaluate',
    ]);
    expect(JSON.parse(entries[2]!.summary)).toMatchObject({
      before: { step: 'dispatch', version: 3 },
      after: { step: 'handle', version: 4, targetUnitId: u.id(DEPARTMENT) },
    });
    expect(await verifyAuditChain(deps)).toMatchObject({ ok: true });
  });

  it('refuses every bad move with a 4xx and changes nothing', async () => {
    now = new Date('2026-12-01T02:00:00.000Z');
    const id = await openTestCase(deps, u);
    const before = await snapshot(id);
    const cases: [Actor, MoveInput, number, string, string][] = [
      [dispatcher, { type: 'open' }, 1, 'Invalid', 'illegalMove'], // 立案 before 受理
      [dispatcher, { type: 'close' }, 1, 'Invalid', 'illegalMove'],
      [officer, { type: 'accept' }, 1, 'Forbidden', 'moveNotPermitted'], // an officer does not accept
      [workstation, { type: 'accept' }, 1, 'NotFound', 'notFound'], // outside the workstation's scope
      [dispatcher, { type: 'reject' }, 1, 'Invalid', 'moveFieldRequired'], // 不予受理 needs a reason
      [dispatcher, { type: 'reject', reason: '   ' }, 1, 'Invalid', 'moveFieldRequired'],
      [dispatcher, { type: 'accept' }, 0, 'Conflict', 'caseVersionConflict'], // a stale version
      [dispatcher, { type: 'accept' }, 2, 'Conflict', 'caseVersionConflict'],
    ];
    for (const [actor, m, version, code, key] of cases) {
      const e = await errorOf(move(actor, id, m, version));
      expect({ m, e: e && { code: e.code, key: e.key } }).toEqual({ m, e: { code, key } });
      expect(await snapshot(id)).toEqual(before);
    }
    // the illegal move names the legal ones; the conflict carries the current state
    expect((await errorOf(move(dispatcher, id, { type: 'open' }, 1)))?.details).toMatchObject({
      from: 'collect',
      allowed: expect.arrayContaining(['accept', 'reject']),
    });
    expect((await errorOf(move(dispatcher, id, { type: 'accept' }, 7)))?.details).toMatchObject({
      expectedVersion: 7,
      currentVersion: 1,
      current: { step: 'collect', version: 1 },
    });

    await move(dispatcher, id, { type: 'accept' }, 1);
    await move(leader, id, { type: 'open' }, 2);
    const at3 = await snapshot(id);
    // a unit that does not exist, or an attachment nobody uploaded: nothing written
    expect(
      await errorOf(
        move(dispatcher, id, { type: 'dispatch', targetUnitId: '00000000-0000-4000-8000-000000000000' }, 3),
      ),
    ).toMatchObject({
      code: 'Invalid',
      key: 'unknownReference',
      details: { field: 'targetUnitId' },
    });
    expect(await snapshot(id)).toEqual(at3);
    await move(dispatcher, id, { type: 'dispatch', targetUnitId: u.id(DEPARTMENT) }, 3);
    const other = await openTestCase(deps, u);
    const taken = await photo(dispatcher, 9);
    await deps.database.db
      .updateTable('attachment')
      .set({ case_id: other })
      .where('id', '=', taken)
      .execute();
    const at4 = await snapshot(id);
    expect(
      await errorOf(
        move(
          liaison,
          id,
          { type: 'feedback', note: 'done', attachments: ['00000000-0000-4000-8000-000000000001'] },
          4,
        ),
      ),
    ).toMatchObject({ code: 'Invalid', key: 'attachmentUnknown' });
    expect(
      await errorOf(move(liaison, id, { type: 'feedback', note: 'done', attachments: [] }, 4)),
    ).toMatchObject({
      code: 'Invalid',
      key: 'moveFieldRequired',
      details: { field: 'attachments' },
    });
    // a photo already linked to another case cannot be used here
    expect(
      await errorOf(move(liaison, id, { type: 'feedback', note: 'done', attachments: [taken] }, 4)),
    ).toMatchObject({
      code: 'Invalid',
      key: 'attachmentUnknown',
    });
    expect(await snapshot(id)).toEqual(at4);
  });

  it('lets one of two concurrent moves win; the other gets 409 with the current state, no lost update', async () => {
    now = new Date('2026-12-01T02:00:00.000Z');
    const id = await openTestCase(deps, u);
    const results = await Promise.allSettled([
      move(dispatcher, id, { type: 'accept' }, 1),
      move(dispatcher, id, { type: 'reject', reason: 'not ours' }, 1),
    ]);
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    const err = lost[0]!.reason as DomainError;
    expect(err).toBeInstanceOf(DomainError);
    expect(err.code).toBe('Conflict');
    expect(err.details).toMatchObject({ expectedVersion: 1, currentVersion: 2, current: { version: 2 } });
    const c = await getCase(deps, dispatcher, id);
    expect(c.version).toBe(2);
    expect(c.timeline).toHaveLength(1);
    expect(c.step).toBe((err.details.current as { step: string }).step);
    expect(await verifyAuditChain(deps)).toMatchObject({ ok: true });
  });

  it('answers a case outside the scope exactly like a missing one, in lists too', async () => {
    now = new Date('2026-12-01T02:00:00.000Z');
    const id = await openTestCase(deps, u);
    const missing = await errorOf(getCase(deps, workstation, '00000000-0000-4000-8000-000000000000'));
    const hidden = await errorOf(getCase(deps, workstation, id));
    expect(hidden?.code).toBe('NotFound');
    expect(hidden?.key).toBe(missing?.key);
    expect((await listCases(deps, workstation)).items.map((c) => c.id)).not.toContain(id);
    expect((await listCases(deps, dispatcher)).items.map((c) => c.id)).toContain(id);
    expect((await errorOf(getEnforcement(deps, workstation, id)))?.code).toBe('NotFound');
  });

  it('lists with filters and keyset pages, maps open cases by urgency, and gives each role its tasks', async () => {
    now = new Date('2026-12-03T02:00:00.000Z');
    const a = await openTestCase(deps, u, { channel: 'patrol', lng: 121.3, lat: 31.0 });
    now = new Date('2026-12-03T02:01:00.000Z');
    const b = await openTestCase(deps, u, { channel: 'patrol', lng: 121.301, lat: 31.001 });
    const firstPage = await listCases(deps, dispatcher, { channel: 'patrol', limit: 1 });
    expect(firstPage.items.map((c) => c.id)).toEqual([b]);
    expect(firstPage.nextCursor).not.toBeNull();
    const second = await listCases(deps, dispatcher, {
      channel: 'patrol',
      limit: 1,
      cursor: firstPage.nextCursor!,
    });
    expect(second.items.map((c) => c.id)).toEqual([a]);
    expect((await listCases(deps, dispatcher, { channel: 'patrol', step: ['open'] })).items).toEqual([]);
    expect(
      (await listCases(deps, dispatcher, { from: '2026-12-03T10:00:30+08:00', channel: 'patrol' })).items.map(
        (c) => c.id,
      ),
    ).toEqual([b]);
    expect((await errorOf(listCases(deps, dispatcher, { from: '2026-12-03' })))?.key).toBe('instantFormat');
    expect((await errorOf(listCases(deps, dispatcher, { cursor: 'nonsense' })))?.key).toBe('cursorInvalid');

    await move(dispatcher, b, { type: 'accept' }, 1);
    // at 11:00 Shanghai both 2-working-hour periods (from 10:00 and 10:01) end within 4 hours
    now = new Date('2026-12-03T03:00:00.000Z');
    const soon = await caseMap(deps, dispatcher, { bbox: [121.29, 30.99, 121.31, 31.01] });
    expect(soon.features.map((f) => [f.properties.id, f.properties.urgency])).toEqual([
      [a, 'dueSoon'],
      [b, 'dueSoon'],
    ]);
    expect(soon.features[0]?.geometry.coordinates).toEqual([121.3, 31.0]);
    now = new Date('2026-12-03T08:00:00.000Z'); // 16:00: both ended
    const overdue = await listCases(deps, dispatcher, { overdue: true, channel: 'patrol' });
    expect(overdue.items.map((c) => [c.id, c.urgency])).toEqual([
      [b, 'overdue'],
      [a, 'overdue'],
    ]);
    expect((await errorOf(caseMap(deps, dispatcher, { bbox: [2, 0, 1, 1] })))?.key).toBe('bboxInvalid');

    const dispatcherTasks = (await myTasks(deps, dispatcher)).map((t) => t.id);
    expect(dispatcherTasks).toEqual(expect.arrayContaining([a]));
    expect((await myTasks(deps, leader)).map((t) => t.id)).toEqual(expect.arrayContaining([a, b])); // b awaits 立案
    expect((await myTasks(deps, officer)).map((t) => t.id)).not.toContain(a);
    expect(await myTasks(deps, workstation)).toEqual([]);
  });

  it('runs the enforcement procedure with its documents, and refuses a step with one missing', async () => {
    // June: the 90-day decision period (第60条) ends inside the year the calendar knows
    now = new Date('2026-06-02T02:00:00.000Z');
    const id = await openTestCase(deps, u);
    expect(await errorOf(startEnforcement(deps, ctx(officer), id))).toMatchObject({
      code: 'Invalid',
      key: 'caseNotOpened',
    });
    expect((await errorOf(startEnforcement(deps, ctx(dispatcher), id)))?.code).toBe('Forbidden');
    await move(dispatcher, id, { type: 'accept' }, 1);
    await move(leader, id, { type: 'open' }, 2);
    const started = await startEnforcement(deps, ctx(officer), id, { illegalStructure: true });
    expect(started).toMatchObject({
      version: 1,
      state: { step: 'filing', flags: { illegalStructure: true } },
      missingDocuments: ['filingApproval'],
    });
    expect(started.requiredDocuments[0]).toEqual({ kind: 'filingApproval', name: '立案审批表' });
    expect((await errorOf(startEnforcement(deps, ctx(officer), id)))?.code).toBe('Conflict');

    const before = await snapshot(id);
    const enfRow = async () =>
      deps.database.db
        .selectFrom('case_enforcement')
        .selectAll()
        .where('case_id', '=', id)
        .executeTakeFirstOrThrow();
    const enfBefore = await enfRow();
    const em = (actor: Actor, m: Parameters<typeof moveEnforcement>[4], version: number) =>
      moveEnforcement(deps, rules(), ctx(actor), id, m, version);
    expect(await errorOf(em(leader, { type: 'approveFiling' }, 1))).toMatchObject({
      code: 'Invalid',
      key: 'documentsMissing',
      details: { missing: ['filingApproval'] },
    });
    expect(await errorOf(em(officer, { type: 'approveFiling' }, 1))).toMatchObject({ code: 'Forbidden' });
    expect(
      await errorOf(
        em(
          officer,
          {
            type: 'addDocument',
            document: 'filingApproval',
            attachmentId: '00000000-0000-4000-8000-000000000002',
          },
          1,
        ),
      ),
    ).toMatchObject({ code: 'Invalid', key: 'attachmentUnknown' });
    expect(await snapshot(id)).toEqual(before);
    expect(await enfRow()).toEqual(enfBefore);

    const doc = await photo(officer, 11);
    const added = await em(
      officer,
      { type: 'addDocument', document: 'filingApproval', attachmentId: doc },
      1,
    );
    expect(added).toMatchObject({ version: 2, missingDocuments: [] });
    expect(
      (
        await deps.database.db
          .selectFrom('attachment')
          .select('case_id')
          .where('id', '=', doc)
          .executeTakeFirstOrThrow()
      ).case_id,
    ).toBe(id);
    expect((await errorOf(em(leader, { type: 'approveFiling' }, 1)))?.code).toBe('Conflict');
    const filed = await em(leader, { type: 'approveFiling' }, 2);
    expect(filed.state).toMatchObject({
      step: 'investigation',
      decisionDeadline: { basis: expect.stringContaining('第60条') },
    });
    expect(filed.dueAt).toBe(new Date(filed.state.decisionDeadline!.due).toISOString());
    expect(await getEnforcement(deps, officer, id)).toMatchObject({
      version: 3,
      state: { step: 'investigation' },
    });
    const detail = await getCase(deps, officer, id);
    expect(detail.enforcement).toEqual({ step: 'investigation', version: 3 });
    expect(detail.timeline.filter((f) => f.track === 'enforcement').map((f) => f.move)).toEqual([
      'start',
      'addDocument',
      'approveFiling',
    ]);
    expect(detail.attachments.map((a) => a.id)).toContain(doc);
  });
});
