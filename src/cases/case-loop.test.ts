import { describe, expect, it } from 'vitest';
import { ROLES, type Role } from '../access/roles.js';
import { createWorkCalendar } from '../platform/calendar/calendar.js';
import { parseInstant } from '../platform/calendar/shanghai-time.js';
import { DomainError } from '../platform/errors.js';
import {
  type CaseState,
  type CaseStatus,
  type CaseStep,
  MOVE_TYPES,
  type Move,
  type MoveActor,
  type MoveType,
  allowedMoves,
  applyMove,
  legalMoves,
  startCase,
} from './case-loop.js';
import { DEFAULT_TIME_LIMITS, createTimeLimitLookup } from './time-limits.js';

const calendar = createWorkCalendar();
const limits = createTimeLimitLookup(DEFAULT_TIME_LIMITS, calendar);
const at = (text: string): Date => parseInstant(text);

const refusal = (f: () => unknown): DomainError => {
  try {
    f();
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error('expected a DomainError, got a result');
};

// ---------------------------------------------------------------------------------------------------------
// The expected matrix, written from GB/T 30428 (DOMAIN-CN §1.2), independently of MOVE_RULES.
// ---------------------------------------------------------------------------------------------------------

/** Who may make each move: roles at the dispatching desk, and roles in the responsible unit. */
const WHO: Record<MoveType, { desk: Role[]; unit: Role[] }> = {
  accept: { desk: ['dispatcher', 'squadLeader'], unit: [] }, // 受理员
  reject: { desk: ['dispatcher', 'squadLeader'], unit: [] },
  check: { desk: ['officer', 'squadLeader'], unit: [] }, // 监督员 核实
  open: { desk: ['squadLeader'], unit: [] }, // 值班长 立案
  decline: { desk: ['squadLeader'], unit: [] },
  dispatch: { desk: ['dispatcher', 'squadLeader'], unit: [] }, // 派遣员
  dispatchWithin: { desk: [], unit: ['squadLeader', 'dispatcher', 'workstationStaff', 'departmentLiaison'] }, // 二级派遣
  feedback: { desk: [], unit: ['officer', 'workstationStaff', 'departmentLiaison'] }, // 专业部门
  return: { desk: [], unit: ['officer', 'workstationStaff', 'departmentLiaison'] },
  requestPostpone: { desk: [], unit: ['officer', 'workstationStaff', 'departmentLiaison'] },
  approvePostpone: { desk: ['squadLeader'], unit: [] },
  denyPostpone: { desk: ['squadLeader'], unit: [] },
  verify: { desk: ['officer', 'squadLeader'], unit: [] }, // 监督员 核查
  rework: { desk: ['officer', 'squadLeader'], unit: [] },
  close: { desk: ['squadLeader'], unit: [] }, // 值班长 结案
  evaluate: { desk: ['dispatcher', 'squadLeader'], unit: [] },
  reopen: { desk: ['squadLeader'], unit: [] },
  void: { desk: ['squadLeader'], unit: [] },
  suspend: { desk: ['squadLeader'], unit: [] },
  resume: { desk: ['squadLeader'], unit: [] },
  informReporter: { desk: ['dispatcher', 'squadLeader'], unit: [] },
};

/** The fields each move cannot do without. */
const REQUIRED: Record<MoveType, string[]> = {
  accept: [],
  reject: ['reason'],
  check: ['note', 'attachments'],
  open: [],
  decline: ['reason'],
  dispatch: ['targetUnitId'],
  dispatchWithin: ['targetUnitId'],
  feedback: ['note', 'attachments'],
  return: ['reason'],
  requestPostpone: ['reason', 'extension'],
  approvePostpone: [],
  denyPostpone: ['reason'],
  verify: ['note', 'attachments'],
  rework: ['reason'],
  close: [],
  evaluate: [],
  reopen: ['reason'],
  void: ['reason'],
  suspend: ['reason'],
  resume: [],
  informReporter: ['note'],
};

const FULL: Required<Omit<Move, 'type' | 'onSiteCheck' | 'categoryKey' | 'parentCategoryKey'>> = {
  reason: 'a reason',
  note: 'a note',
  attachments: ['att-1'],
  targetUnitId: 'u-target',
  extension: { n: 2, unit: 'workday' },
};
const complete = (type: MoveType): Move => ({ type, ...FULL });

type Situation =
  | 'collect'
  | 'onSiteCheck'
  | 'open'
  | 'dispatch'
  | 'handle'
  | 'handlePending'
  | 'verify'
  | 'close'
  | 'evaluate'
  | 'evaluated'
  | 'rejected'
  | 'declined'
  | 'voided'
  | 'suspendedDispatch'
  | 'suspendedHandle';

/** The moves legal in each situation (a case without a reporter to tell: informReporter is never legal). */
const LEGAL: Record<Situation, MoveType[]> = {
  collect: ['accept', 'reject', 'void'],
  onSiteCheck: ['check', 'void'],
  open: ['open', 'decline', 'void'],
  dispatch: ['dispatch', 'void', 'suspend'],
  handle: ['dispatchWithin', 'feedback', 'return', 'requestPostpone', 'void', 'suspend'],
  handlePending: [
    'dispatchWithin',
    'feedback',
    'return',
    'approvePostpone',
    'denyPostpone',
    'void',
    'suspend',
  ],
  verify: ['verify', 'rework', 'void'],
  close: ['rework', 'close', 'void'],
  evaluate: ['evaluate', 'reopen'],
  evaluated: ['reopen'],
  rejected: [],
  declined: [],
  voided: [],
  suspendedDispatch: ['void', 'resume'],
  suspendedHandle: ['void', 'resume'],
};

/** Where each legal move leads: step and status. */
const RESULT: Record<Situation, Partial<Record<MoveType, [CaseStep, CaseStatus]>>> = {
  collect: { accept: ['open', 'active'], reject: ['ended', 'rejected'], void: ['ended', 'voided'] },
  onSiteCheck: { check: ['open', 'active'], void: ['ended', 'voided'] },
  open: { open: ['dispatch', 'active'], decline: ['ended', 'declined'], void: ['ended', 'voided'] },
  dispatch: { dispatch: ['handle', 'active'], void: ['ended', 'voided'], suspend: ['dispatch', 'suspended'] },
  handle: {
    dispatchWithin: ['handle', 'active'],
    feedback: ['verify', 'active'],
    return: ['dispatch', 'active'],
    requestPostpone: ['handle', 'active'],
    void: ['ended', 'voided'],
    suspend: ['handle', 'suspended'],
  },
  handlePending: {
    dispatchWithin: ['handle', 'active'],
    feedback: ['verify', 'active'],
    return: ['dispatch', 'active'],
    approvePostpone: ['handle', 'active'],
    denyPostpone: ['handle', 'active'],
    void: ['ended', 'voided'],
    suspend: ['handle', 'suspended'],
  },
  verify: { verify: ['close', 'active'], rework: ['handle', 'active'], void: ['ended', 'voided'] },
  close: { rework: ['handle', 'active'], close: ['evaluate', 'closed'], void: ['ended', 'voided'] },
  evaluate: { evaluate: ['ended', 'closed'], reopen: ['handle', 'active'] },
  evaluated: { reopen: ['handle', 'active'] },
  rejected: {},
  declined: {},
  voided: {},
  suspendedDispatch: { resume: ['dispatch', 'active'], void: ['ended', 'voided'] },
  suspendedHandle: { resume: ['handle', 'active'], void: ['ended', 'voided'] },
};

// ---------------------------------------------------------------------------------------------------------
// Fixtures: reach each situation by real moves.
// ---------------------------------------------------------------------------------------------------------

const actorFor = (move: MoveType, id = 'user-1'): MoveActor => {
  const who = WHO[move];
  const deskRole = who.desk[0];
  if (deskRole !== undefined) {
    return { id, role: deskRole, unitId: 'u-desk', isDispatchingUnit: true, isResponsibleUnit: false };
  }
  return {
    id,
    role: who.unit[0] ?? null,
    unitId: 'u-target',
    isDispatchingUnit: false,
    isResponsibleUnit: true,
  };
};

const NOW = at('2026-03-02T10:00:00+08:00');

const newCase = (overrides: Partial<Parameters<typeof startCase>[0]> = {}): CaseState =>
  startCase(
    {
      id: 'c-1',
      channel: 'resident',
      categoryKey: 'event:06010',
      areaGrade: 'B',
      hasReporter: false,
      receivedAt: at('2026-03-02T09:00:00+08:00'),
      ...overrides,
    },
    limits,
  );

function walk(state: CaseState, moves: Move[], now = NOW): CaseState {
  return moves.reduce((s, m) => applyMove(s, m, actorFor(m.type), now, limits).state, state);
}

const TO_HANDLE: Move[] = [complete('accept'), complete('open'), complete('dispatch')];
const TO_CLOSE: Move[] = [...TO_HANDLE, complete('feedback'), complete('verify')];

const situations: Record<Situation, () => CaseState> = {
  collect: () => newCase(),
  onSiteCheck: () => walk(newCase(), [{ type: 'accept', onSiteCheck: true }]),
  open: () => walk(newCase(), [complete('accept')]),
  dispatch: () => walk(newCase(), [complete('accept'), complete('open')]),
  handle: () => walk(newCase(), TO_HANDLE),
  handlePending: () => walk(newCase(), [...TO_HANDLE, complete('requestPostpone')]),
  verify: () => walk(newCase(), [...TO_HANDLE, complete('feedback')]),
  close: () => walk(newCase(), TO_CLOSE),
  evaluate: () => walk(newCase(), [...TO_CLOSE, complete('close')]),
  evaluated: () => walk(newCase(), [...TO_CLOSE, complete('close'), complete('evaluate')]),
  rejected: () => walk(newCase(), [complete('reject')]),
  declined: () => walk(newCase(), [complete('accept'), complete('decline')]),
  voided: () => walk(newCase(), [complete('void')]),
  suspendedDispatch: () => walk(newCase(), [complete('accept'), complete('open'), complete('suspend')]),
  suspendedHandle: () => walk(newCase(), [...TO_HANDLE, complete('suspend')]),
};

const ACTORS: MoveActor[] = [...ROLES, null].flatMap((role) =>
  [false, true].flatMap((isDispatchingUnit) =>
    [false, true].map((isResponsibleUnit) => ({
      id: `user-${role ?? 'system'}`,
      role,
      unitId: 'u-x',
      isDispatchingUnit,
      isResponsibleUnit,
    })),
  ),
);

const permitted = (move: MoveType, a: MoveActor): boolean =>
  a.role !== null &&
  ((a.isDispatchingUnit && WHO[move].desk.includes(a.role)) ||
    (a.isResponsibleUnit && WHO[move].unit.includes(a.role)));

// ---------------------------------------------------------------------------------------------------------

describe('the exhaustive matrix: every situation × every move × every role', () => {
  const SITUATIONS = Object.keys(situations) as Situation[];
  let checked = 0;

  for (const situation of SITUATIONS) {
    it(`${situation}: each move is allowed with its result or refused with the right error`, () => {
      const state = situations[situation]();
      const expectedLegal = MOVE_TYPES.filter((m) => LEGAL[situation].includes(m));
      expect(legalMoves(state)).toEqual(expectedLegal);

      for (const move of MOVE_TYPES) {
        for (const actor of ACTORS) {
          checked += 1;
          if (!LEGAL[situation].includes(move)) {
            const e = refusal(() => applyMove(state, complete(move), actor, NOW, limits));
            expect([e.code, e.messageKey]).toEqual(['Invalid', 'illegalMove']);
            expect(e.details).toEqual({ from: state.step, move, allowed: expectedLegal });
            continue;
          }
          if (!permitted(move, actor)) {
            const e = refusal(() => applyMove(state, complete(move), actor, NOW, limits));
            expect([e.code, e.messageKey, e.details]).toEqual([
              'Forbidden',
              'moveNotPermitted',
              { move, role: actor.role },
            ]);
            expect(allowedMoves(state, actor)).not.toContain(move);
            continue;
          }
          expect(allowedMoves(state, actor)).toContain(move);
          // Every required field, left out alone, is named.
          for (const field of REQUIRED[move]) {
            const partial: Move = { ...complete(move) };
            delete partial[field as keyof Omit<Move, 'type'>];
            const e = refusal(() => applyMove(state, partial, actor, NOW, limits));
            expect([e.code, e.messageKey, e.details.field]).toEqual(['Invalid', 'moveFieldRequired', field]);
          }
          const { state: after, flow } = applyMove(state, complete(move), actor, NOW, limits);
          expect([after.step, after.status]).toEqual(RESULT[situation][move]);
          expect(after.version).toBe(state.version + 1);
          expect(flow).toMatchObject({
            step: state.step,
            move,
            toStep: after.step,
            actorId: actor.id,
            role: actor.role,
          });
        }
      }
    });
  }

  it('covered every combination', () => {
    expect(checked).toBe(SITUATIONS.length * MOVE_TYPES.length * ACTORS.length);
  });

  it('blank text counts as missing, and attachments must be at least one', () => {
    const state = situations.handle();
    const officer = actorFor('feedback');
    const blank = refusal(() =>
      applyMove(state, { ...complete('feedback'), note: '   ' }, officer, NOW, limits),
    );
    expect(blank.details).toEqual({ field: 'note' });
    const none = refusal(() =>
      applyMove(state, { ...complete('feedback'), attachments: [] }, officer, NOW, limits),
    );
    expect(none.details).toEqual({ field: 'attachments', min: 1 });
  });

  it('an unknown move is an illegal move, naming the legal ones', () => {
    const state = situations.collect();
    const e = refusal(() =>
      applyMove(state, { type: 'teleport' as MoveType }, actorFor('accept'), NOW, limits),
    );
    expect(e.details).toEqual({ from: 'collect', move: 'teleport', allowed: ['accept', 'reject', 'void'] });
  });

  it('a postpone asks for a whole positive period', () => {
    const state = situations.handle();
    const e = refusal(() =>
      applyMove(
        state,
        { ...complete('requestPostpone'), extension: { n: 0, unit: 'workday' } },
        actorFor('requestPostpone'),
        NOW,
        limits,
      ),
    );
    expect([e.code, e.messageKey]).toEqual(['Invalid', 'durationInvalid']);
  });
});

describe('informReporter (上海市城市管理行政执法条例 第26条)', () => {
  it('is legal in every step until the reporter has been told, then never again', () => {
    const withReporter = (moves: Move[]): CaseState => walk(newCase({ hasReporter: true }), moves);
    for (const moves of [
      [],
      [complete('reject')],
      TO_HANDLE,
      [...TO_CLOSE, complete('close'), complete('evaluate')],
    ]) {
      const state = withReporter(moves);
      expect(legalMoves(state)).toContain('informReporter');
      const told = applyMove(
        state,
        complete('informReporter'),
        actorFor('informReporter'),
        NOW,
        limits,
      ).state;
      expect(legalMoves(told)).not.toContain('informReporter');
      expect([told.step, told.status]).toEqual([state.step, state.status]);
    }
  });

  it('a reporter told within 5 working days, across National Day, is on time; a day later is not', () => {
    // Received Tuesday 09-29: working days 09-30, 10-08, 10-09, 10-10 (make-up Saturday), 10-12.
    const state = newCase({ hasReporter: true, receivedAt: at('2026-09-29T10:00:00+08:00') });
    expect(state.reporterDeadline?.due).toBe('2026-10-12T23:59:59.999+08:00');
    expect(state.reporterDeadline?.basis).toBe(
      '上海市城市管理行政执法条例 第26条：5 个工作日内将核查情况告知举报人',
    );
    const desk = actorFor('informReporter');
    const onTime = applyMove(
      state,
      complete('informReporter'),
      desk,
      at('2026-10-12T17:00:00+08:00'),
      limits,
    );
    expect(onTime.flow).toMatchObject({ onTime: true, startedAt: '2026-09-29T10:00:00.000+08:00' });
    const late = applyMove(state, complete('informReporter'), desk, at('2026-10-13T09:00:00+08:00'), limits);
    expect(late.flow.onTime).toBe(false);
  });
});

describe('happy paths', () => {
  const desk: MoveActor = {
    id: 'u-dispatcher',
    role: 'dispatcher',
    unitId: 'u-squad',
    isDispatchingUnit: true,
    isResponsibleUnit: false,
  };
  const leader: MoveActor = {
    id: 'u-leader',
    role: 'squadLeader',
    unitId: 'u-squad',
    isDispatchingUnit: true,
    isResponsibleUnit: false,
  };
  const inspector: MoveActor = {
    id: 'u-inspector',
    role: 'officer',
    unitId: 'u-squad',
    isDispatchingUnit: true,
    isResponsibleUnit: false,
  };
  const handler: MoveActor = {
    id: 'u-handler',
    role: 'departmentLiaison',
    unitId: 'u-greening',
    isDispatchingUnit: false,
    isResponsibleUnit: true,
  };

  type Step = [MoveActor, Move, string];
  function run(start: CaseState, steps: Step[]) {
    let state = start;
    const flows = steps.map(([actor, move, when]) => {
      const r = applyMove(state, move, actor, at(when), limits);
      state = r.state;
      return r.flow;
    });
    return { state, flows };
  }

  it('a resident report of exposed garbage: collect → check → open → dispatch → handle → verify → close → evaluate', () => {
    const start = newCase({ hasReporter: true, receivedAt: at('2026-03-02T09:00:00+08:00') });
    // 2 working hours to accept from 09:00 Monday: 11:00.
    expect(start.deadline?.due).toBe('2026-03-02T11:00:00.000+08:00');
    const { state, flows } = run(start, [
      [desk, { type: 'accept', onSiteCheck: true }, '2026-03-02T09:30:00+08:00'],
      [
        inspector,
        { type: 'check', note: 'garbage confirmed', attachments: ['p1'] },
        '2026-03-02T14:00:00+08:00',
      ],
      [leader, { type: 'open' }, '2026-03-02T14:30:00+08:00'],
      [desk, { type: 'dispatch', targetUnitId: 'u-greening' }, '2026-03-02T15:00:00+08:00'],
      [
        handler,
        { type: 'feedback', note: 'cleared', attachments: ['p2', 'p3'] },
        '2026-03-03T10:00:00+08:00',
      ],
      [inspector, { type: 'verify', note: 'clean', attachments: ['p4'] }, '2026-03-03T15:00:00+08:00'],
      [leader, { type: 'close' }, '2026-03-03T16:00:00+08:00'],
      [desk, { type: 'informReporter', note: 'phoned the reporter' }, '2026-03-03T16:30:00+08:00'],
      [desk, { type: 'evaluate' }, '2026-03-04T10:00:00+08:00'],
    ]);
    expect([state.step, state.status, state.version]).toEqual(['ended', 'closed', 10]);
    expect(state.closedAt).toBe('2026-03-03T16:00:00.000+08:00');
    expect(state.responsibleUnitId).toBe('u-greening');
    expect(flows.map((f) => [f.step, f.move, f.onTime])).toEqual([
      ['collect', 'accept', true],
      ['onSiteCheck', 'check', true],
      ['open', 'open', true],
      ['dispatch', 'dispatch', true],
      ['handle', 'feedback', true],
      ['verify', 'verify', true],
      ['close', 'close', true],
      ['evaluate', 'informReporter', true],
      ['evaluate', 'evaluate', true],
    ]);
    const handle = flows[4];
    // 暴露垃圾: 1 working day from dispatch at 15:00 Monday → end of Tuesday.
    expect(handle?.deadline?.due).toBe('2026-03-03T23:59:59.999+08:00');
    expect(handle?.deadline?.basis).toContain('暴露垃圾');
    expect(handle).toMatchObject({
      startedAt: '2026-03-02T15:00:00.000+08:00',
      endedAt: '2026-03-03T10:00:00.000+08:00',
      actorId: 'u-handler',
      role: 'departmentLiaison',
      unitId: 'u-greening',
      note: 'cleared',
      attachments: ['p2', 'p3'],
    });
  });

  it('the on-site check of illegal construction runs from receipt: 24 hours, 2 hours while building is under way', () => {
    const report = { categoryKey: 'event:06001', receivedAt: at('2026-03-06T20:00:00+08:00') };
    const checked = walk(
      newCase(report),
      [{ type: 'accept', onSiteCheck: true }],
      at('2026-03-06T20:10:00+08:00'),
    );
    expect(checked.deadline?.due).toBe('2026-03-07T20:00:00.000+08:00');
    expect(checked.deadline?.basis).toContain('上海市拆除违法建筑若干规定 第7条');
    const underWay = walk(
      newCase({ ...report, underWay: true }),
      [{ type: 'accept', onSiteCheck: true }],
      at('2026-03-06T20:10:00+08:00'),
    );
    expect(underWay.deadline?.due).toBe('2026-03-06T22:00:00.000+08:00');
    const late = applyMove(
      underWay,
      { type: 'check', note: 'building', attachments: ['p'] },
      inspector,
      at('2026-03-06T22:30:00+08:00'),
      limits,
    );
    expect(late.flow.onTime).toBe(false);
  });

  it('rework twice, then close: each rework starts a fresh handling period', () => {
    const start = walk(newCase(), [complete('accept'), complete('open')], at('2026-03-02T09:30:00+08:00'));
    const { state, flows } = run(start, [
      [desk, { type: 'dispatch', targetUnitId: 'u-greening' }, '2026-03-02T10:00:00+08:00'],
      [handler, { type: 'feedback', note: 'done', attachments: ['a'] }, '2026-03-02T16:00:00+08:00'],
      [inspector, { type: 'rework', reason: 'still there' }, '2026-03-03T10:00:00+08:00'],
      [handler, { type: 'feedback', note: 'done again', attachments: ['b'] }, '2026-03-05T10:00:00+08:00'],
      [inspector, { type: 'verify', note: 'ok', attachments: ['c'] }, '2026-03-05T15:00:00+08:00'],
      [leader, { type: 'rework', reason: 'came back before closing' }, '2026-03-05T16:00:00+08:00'],
      [handler, { type: 'feedback', note: 'third time', attachments: ['d'] }, '2026-03-06T10:00:00+08:00'],
      [inspector, { type: 'verify', note: 'ok', attachments: ['e'] }, '2026-03-06T11:00:00+08:00'],
      [leader, { type: 'close' }, '2026-03-06T12:00:00+08:00'],
    ]);
    expect([state.step, state.status, state.reworkCount]).toEqual(['evaluate', 'closed', 2]);
    // The second handling started at the rework Tuesday 10:00: 1 working day → end of Wednesday; Thursday is late.
    expect(flows[3]?.deadline?.due).toBe('2026-03-04T23:59:59.999+08:00');
    expect(flows[3]?.onTime).toBe(false);
    expect(flows[6]?.onTime).toBe(true);
    expect(flows.filter((f) => f.move === 'rework').map((f) => f.step)).toEqual(['verify', 'close']);
  });

  it('suspend and resume: the suspended days are left out of the handling deadline', () => {
    const start = walk(
      newCase({ categoryKey: null }),
      [complete('accept'), complete('open')],
      at('2026-03-02T09:30:00+08:00'),
    );
    const { state, flows } = run(start, [
      [desk, { type: 'dispatch', targetUnitId: 'u-greening' }, '2026-03-02T10:00:00+08:00'],
      [leader, { type: 'suspend', reason: 'waiting for funds' }, '2026-03-03T09:00:00+08:00'],
    ]);
    // Default handling: 3 working days from Monday → Thursday.
    expect(flows[0]?.toStep).toBe('handle');
    expect(state.deadline?.due).toBe('2026-03-05T23:59:59.999+08:00');
    expect(state.status).toBe('suspended');
    expect(allowedMoves(state, handler)).toEqual([]);
    expect(
      refusal(() => applyMove(state, complete('feedback'), handler, at('2026-03-03T10:00:00+08:00'), limits))
        .messageKey,
    ).toBe('illegalMove');
    const resumed = applyMove(state, { type: 'resume' }, leader, at('2026-03-04T17:00:00+08:00'), limits);
    // Tuesday and Wednesday are touched by the suspension: Thursday, Friday, Monday.
    expect(resumed.state.deadline?.due).toBe('2026-03-09T23:59:59.999+08:00');
    expect(resumed.state.deadline?.suspensions).toEqual([
      { from: '2026-03-03T09:00:00.000+08:00', to: '2026-03-04T17:00:00.000+08:00' },
    ]);
    expect([resumed.state.status, resumed.state.step, resumed.state.suspendedAt]).toEqual([
      'active',
      'handle',
      null,
    ]);
    expect(resumed.flow).toMatchObject({
      move: 'resume',
      startedAt: '2026-03-03T09:00:00.000+08:00',
      onTime: null,
    });
  });

  it('postpone: requested by the handler, approved by the squad leader, extends from the old due instant', () => {
    const start = walk(newCase(), [complete('accept'), complete('open')], at('2026-03-02T09:30:00+08:00'));
    const { state, flows } = run(start, [
      [desk, { type: 'dispatch', targetUnitId: 'u-greening' }, '2026-03-02T10:00:00+08:00'],
      [
        handler,
        { type: 'requestPostpone', reason: 'needs a truck', extension: { n: 2, unit: 'workday' } },
        '2026-03-03T09:00:00+08:00',
      ],
    ]);
    expect(state.pendingPostpone).toMatchObject({
      requestedBy: 'u-handler',
      extension: { n: 2, unit: 'workday' },
    });
    expect(
      refusal(() => applyMove(state, complete('requestPostpone'), handler, NOW, limits)).messageKey,
    ).toBe('illegalMove');
    expect(refusal(() => applyMove(state, { type: 'approvePostpone' }, handler, NOW, limits)).code).toBe(
      'Forbidden',
    );
    const approved = applyMove(
      state,
      { type: 'approvePostpone' },
      leader,
      at('2026-03-03T11:00:00+08:00'),
      limits,
    );
    expect(flows[1]?.deadline?.due).toBe('2026-03-03T23:59:59.999+08:00');
    expect(approved.state.deadline?.due).toBe('2026-03-05T23:59:59.999+08:00');
    expect(approved.state.deadline?.basis).toContain('延期 approved: +2 workday');
    expect([approved.state.pendingPostpone, approved.state.postponeCount]).toEqual([null, 1]);
    expect(approved.flow).toMatchObject({
      startedAt: '2026-03-03T09:00:00.000+08:00',
      endedAt: '2026-03-03T11:00:00.000+08:00',
    });
    const denied = applyMove(
      state,
      { type: 'denyPostpone', reason: 'not needed' },
      leader,
      at('2026-03-03T11:00:00+08:00'),
      limits,
    );
    expect(denied.state.deadline).toEqual(state.deadline);
    expect([denied.state.pendingPostpone, denied.state.postponeCount]).toEqual([null, 0]);
  });

  it('return by the handler goes back to dispatch without a unit; second-level dispatch keeps the clock', () => {
    const start = walk(newCase(), [complete('accept'), complete('open')], at('2026-03-02T09:30:00+08:00'));
    const subDispatcher: MoveActor = { ...handler, id: 'u-liaison-2' };
    const { state, flows } = run(start, [
      [desk, { type: 'dispatch', targetUnitId: 'u-greening' }, '2026-03-02T10:00:00+08:00'],
      [
        subDispatcher,
        { type: 'dispatchWithin', targetUnitId: 'u-greening-team-3' },
        '2026-03-02T10:30:00+08:00',
      ],
    ]);
    expect([state.responsibleUnitId, state.handlingUnitId]).toEqual(['u-greening', 'u-greening-team-3']);
    expect(state.stepStartedAt).toBe('2026-03-02T10:00:00.000+08:00');
    expect(flows[1]?.onTime).toBeNull();
    const returned = applyMove(
      state,
      { type: 'return', reason: 'not ours: a private compound' },
      handler,
      at('2026-03-02T11:00:00+08:00'),
      limits,
    );
    expect(returned.state).toMatchObject({
      step: 'dispatch',
      responsibleUnitId: null,
      handlingUnitId: null,
      returnCount: 1,
    });
    expect(returned.flow).toMatchObject({
      reason: 'not ours: a private compound',
      toStep: 'dispatch',
      onTime: true,
    });
    // 2 working hours from 11:00: one before lunch (12:00–13:30 is not office time), one after.
    expect(returned.state.deadline?.due).toBe('2026-03-02T14:30:00.000+08:00');
    const again = applyMove(
      returned.state,
      { type: 'dispatch', targetUnitId: 'u-workstation' },
      desk,
      at('2026-03-02T13:45:00+08:00'),
      limits,
    );
    expect([again.state.responsibleUnitId, again.state.dispatchCount]).toEqual(['u-workstation', 2]);
  });

  it('reopen after a dissatisfied rating sends the case back to its handler', () => {
    const closed = walk(newCase(), [...TO_CLOSE, complete('close'), complete('evaluate')]);
    const reopened = applyMove(
      closed,
      { type: 'reopen', reason: 'reporter dissatisfied' },
      leader,
      at('2026-03-10T10:00:00+08:00'),
      limits,
    );
    expect(reopened.state).toMatchObject({
      step: 'handle',
      status: 'active',
      closedAt: null,
      reopenCount: 1,
      responsibleUnitId: 'u-target',
    });
    expect(reopened.state.deadline?.from).toBe('2026-03-10T10:00:00.000+08:00');
  });

  it('a deadline in a year the calendar does not know refuses the move', () => {
    const state = newCase({ receivedAt: at('2026-12-31T09:00:00+08:00') });
    expect(state.deadline?.due).toBe('2026-12-31T11:00:00.000+08:00');
    // Accepted at 17:00 on the last day of 2026: 2 working hours to open reach into 2027.
    const e = refusal(() =>
      applyMove(state, complete('accept'), desk, at('2026-12-31T17:00:00+08:00'), limits),
    );
    expect([e.code, e.details]).toEqual(['DeadlineUnknown', { year: 2027 }]);
  });
});
