/**
 * The case loop of digital urban management (GB/T 30428 / CJJ/T 106, DOMAIN-CN §1.2) as a pure state
 * machine: collect → accept | reject → (on-site check 核实) → open | decline → dispatch (and second-level
 * dispatch inside the responsible unit) → handle → feedback → verify (核查) → close | rework → evaluate,
 * with the exceptional moves void (作废), suspend/resume (挂账), postpone with approval (延期) and return by
 * the handler (回退). Every move yields one flow record (DOMAIN-CN §1.2: 每个环节一条流转记录) and bumps the
 * state's version, which the store uses for optimistic concurrency. No clock, no I/O: `now` is passed in.
 *
 * Roles of the standard and ours: 受理员 + 派遣员 → `dispatcher` (a squad leader may act for one); 值班长 →
 * `squadLeader`; 监督员 → `officer` (核实, 核查); 专业部门 → the responsible unit's `officer`,
 * `workstationStaff` or `departmentLiaison`. Whether an actor belongs to the dispatching unit (the desk
 * whose scope holds the case) or to the responsible unit is decided by the service and passed in.
 */
import type { Role } from '../access/roles.js';
import {
  type Deadline,
  type Duration,
  computeDeadline,
  isDurationUnit,
} from '../platform/calendar/deadline.js';
import { formatShanghai } from '../platform/calendar/shanghai-time.js';
import { forbidden, invalid } from '../platform/errors.js';
import type { AreaGrade, LimitStep, TimeLimitLookup } from './time-limits.js';

/** Where a case is: the step whose work is awaited. `ended` once rejected, declined, voided or evaluated. */
export const CASE_STEPS = [
  'collect', // 信息收集: waiting to be accepted (受理) or rejected (不予受理)
  'onSiteCheck', // 核实: a public report waits for an officer's check on site
  'open', // 立案: waiting for the squad leader to open or decline
  'dispatch', // 派遣: waiting to be sent to the responsible unit
  'handle', // 处置: the responsible unit deals with it and gives feedback (反馈)
  'verify', // 核查: an officer checks on site that it is fixed
  'close', // 结案: the squad leader closes
  'evaluate', // 评价: closed, waiting for evaluation
  'ended',
] as const;
export type CaseStep = (typeof CASE_STEPS)[number];

/**
 * The case's standing. `active` rather than `open`: in the glossary `open` is 立案, which a case in
 * `collect` has not yet had.
 */
export const CASE_STATUSES = ['active', 'suspended', 'closed', 'rejected', 'declined', 'voided'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

export const MOVE_TYPES = [
  'accept', // 受理
  'reject', // 不予受理
  'check', // 核实 (on site, by an officer)
  'open', // 立案
  'decline', // 不予立案
  'dispatch', // 派遣 to the responsible unit
  'dispatchWithin', // 二级派遣 inside the responsible unit
  'feedback', // 处置反馈
  'return', // 回退 by the handler, back to dispatch
  'requestPostpone', // 申请延期
  'approvePostpone', // 延期审批: approved
  'denyPostpone', // 延期审批: denied
  'verify', // 核查 passed
  'rework', // 返工: verification failed, back to the handler
  'close', // 结案
  'evaluate', // 评价
  'reopen', // 重新处置 after close (e.g. a dissatisfied reporter)
  'void', // 作废
  'suspend', // 挂账
  'resume', // 挂账恢复
  'informReporter', // 告知举报人 (上海市城市管理行政执法条例 第26条)
] as const;
export type MoveType = (typeof MOVE_TYPES)[number];
export const isMoveType = (v: string): v is MoveType => (MOVE_TYPES as readonly string[]).includes(v);

/** One move as submitted. Which fields a move needs is in MOVE_RULES. */
export interface Move {
  type: MoveType;
  reason?: string;
  note?: string;
  /** Attachment ids (photos, documents) already stored. */
  attachments?: readonly string[];
  /** dispatch / dispatchWithin: the unit the case goes to. */
  targetUnitId?: string;
  /** requestPostpone: how much longer the handler asks for. */
  extension?: Duration;
  /** accept: send a public report for an on-site check (核实) before opening. */
  onSiteCheck?: boolean;
  /** accept / open: (re)classify the case. */
  categoryKey?: string;
  parentCategoryKey?: string | null;
}

/** Who makes a move, with the two unit facts the service establishes. */
export interface MoveActor {
  id: string;
  role: Role | null;
  unitId: string;
  /** The actor's unit is (or is above) the unit the case was dispatched to. */
  isResponsibleUnit: boolean;
  /** The actor's unit is the desk (squad or command centre) whose scope holds the case. */
  isDispatchingUnit: boolean;
}
export type ActorFacts = Pick<MoveActor, 'role' | 'isResponsibleUnit' | 'isDispatchingUnit'>;

export interface PendingPostpone {
  requestedAt: string;
  requestedBy: string;
  extension: Duration;
  reason: string;
}

export interface CaseState {
  id: string;
  status: CaseStatus;
  step: CaseStep;
  channel: string;
  categoryKey: string | null;
  parentCategoryKey: string | null;
  areaGrade: AreaGrade | null;
  /** Building is under way (正在搭建): the 2-hour on-site rule of 上海市拆除违法建筑若干规定 第7条. */
  underWay: boolean;
  receivedAt: string;
  /** The unit dispatched to (一级派遣); null before dispatch and after a return. */
  responsibleUnitId: string | null;
  /** The unit handling it: the responsible unit or the one it dispatched to inside itself (二级派遣). */
  handlingUnitId: string | null;
  stepStartedAt: string;
  /** The current step's deadline; null when the step has none (or the case has ended). */
  deadline: Deadline | null;
  /** 第26条: when the reporter must be told; null when there is no reporter to tell. */
  reporterDeadline: Deadline | null;
  reporterInformedAt: string | null;
  pendingPostpone: PendingPostpone | null;
  suspendedAt: string | null;
  closedAt: string | null;
  dispatchCount: number;
  reworkCount: number;
  returnCount: number;
  postponeCount: number;
  reopenCount: number;
  /** Bumped on every move; the store's optimistic lock. */
  version: number;
}

export interface FlowRecord {
  /** The step the move was made in. */
  step: CaseStep;
  move: MoveType;
  /** The step the case went to. */
  toStep: CaseStep;
  actorId: string;
  role: Role | null;
  unitId: string;
  startedAt: string;
  endedAt: string;
  /** The deadline the move is measured against, with its basis; null when none applies. */
  deadline: Deadline | null;
  /** Whether the move came within the deadline; null when the move is not timed or has no deadline. */
  onTime: boolean | null;
  note: string | null;
  reason: string | null;
  targetUnitId: string | null;
  attachments: string[];
}

export type MoveField = 'reason' | 'note' | 'attachments' | 'targetUnitId' | 'extension';

export interface MoveRule {
  /** Whether the move is legal in the case's current state. */
  legal: (state: CaseState) => boolean;
  /** Who may make it. */
  who: (actor: ActorFacts) => boolean;
  required: readonly MoveField[];
  /** With 'attachments' in `required`: how many at least. */
  minAttachments: number;
  /** The move finishes the current step: its flow record spans the whole step. */
  endsStep: boolean;
  /** The flow record says whether the move met its deadline. */
  timed: boolean;
}

// ---------------------------------------------------------------------------------------------------------
// Who: the roles of GB/T 30428 mapped onto ours.
// ---------------------------------------------------------------------------------------------------------

const roleIn = (roles: readonly Role[]) => (a: ActorFacts) => a.role !== null && roles.includes(a.role);

/** 受理员/派遣员 of the dispatching unit; a squad leader may act for them (roles.ts gives it cases:dispatch). */
export const isDesk = (a: ActorFacts): boolean =>
  a.isDispatchingUnit && roleIn(['dispatcher', 'squadLeader'])(a);
/** 值班长 of the dispatching unit: opens, closes, approves, voids, suspends. */
export const isLeader = (a: ActorFacts): boolean => a.isDispatchingUnit && a.role === 'squadLeader';
/** 监督员: checks and verifies on site; squad leaders carry cases:verify too. */
export const isInspector = (a: ActorFacts): boolean =>
  a.isDispatchingUnit && roleIn(['officer', 'squadLeader'])(a);
/** 专业部门 staff of the responsible unit: handles, gives feedback, returns, asks for more time. */
export const isHandler = (a: ActorFacts): boolean =>
  a.isResponsibleUnit && roleIn(['officer', 'workstationStaff', 'departmentLiaison'])(a);
/** Whoever dispatches inside the responsible unit (二级派遣): its leader, dispatcher, or the unit's contact. */
export const isSubDispatcher = (a: ActorFacts): boolean =>
  a.isResponsibleUnit && roleIn(['squadLeader', 'dispatcher', 'workstationStaff', 'departmentLiaison'])(a);

// ---------------------------------------------------------------------------------------------------------
// The rules of each move.
// ---------------------------------------------------------------------------------------------------------

const inStep =
  (...steps: CaseStep[]) =>
  (s: CaseState): boolean =>
    s.status === 'active' && steps.includes(s.step);

const rule = (r: Partial<MoveRule> & Pick<MoveRule, 'legal' | 'who'>): MoveRule => ({
  required: [],
  minAttachments: 0,
  endsStep: true,
  timed: true,
  ...r,
});

/** Every move's legality, actors, required fields and timing. The exhaustive tests hold this to the standard. */
export const MOVE_RULES: Readonly<Record<MoveType, MoveRule>> = {
  accept: rule({ legal: inStep('collect'), who: isDesk }),
  reject: rule({ legal: inStep('collect'), who: isDesk, required: ['reason'] }),
  check: rule({
    legal: inStep('onSiteCheck'),
    who: isInspector,
    required: ['note', 'attachments'],
    minAttachments: 1,
  }),
  open: rule({ legal: inStep('open'), who: isLeader }),
  decline: rule({ legal: inStep('open'), who: isLeader, required: ['reason'] }),
  dispatch: rule({ legal: inStep('dispatch'), who: isDesk, required: ['targetUnitId'] }),
  dispatchWithin: rule({
    legal: inStep('handle'),
    who: isSubDispatcher,
    required: ['targetUnitId'],
    endsStep: false,
    timed: false,
  }),
  feedback: rule({
    legal: inStep('handle'),
    who: isHandler,
    required: ['note', 'attachments'],
    minAttachments: 1,
  }),
  return: rule({ legal: inStep('handle'), who: isHandler, required: ['reason'] }),
  requestPostpone: rule({
    legal: (s) => inStep('handle')(s) && s.pendingPostpone === null,
    who: isHandler,
    required: ['reason', 'extension'],
    endsStep: false,
    timed: false,
  }),
  approvePostpone: rule({
    legal: (s) => inStep('handle')(s) && s.pendingPostpone !== null,
    who: isLeader,
    endsStep: false,
    timed: false,
  }),
  denyPostpone: rule({
    legal: (s) => inStep('handle')(s) && s.pendingPostpone !== null,
    who: isLeader,
    required: ['reason'],
    endsStep: false,
    timed: false,
  }),
  verify: rule({
    legal: inStep('verify'),
    who: isInspector,
    required: ['note', 'attachments'],
    minAttachments: 1,
  }),
  // From `close` as well: the problem is back before the leader closes.
  rework: rule({ legal: inStep('verify', 'close'), who: isInspector, required: ['reason'] }),
  close: rule({ legal: inStep('close'), who: isLeader }),
  evaluate: rule({ legal: (s) => s.status === 'closed' && s.step === 'evaluate', who: isDesk }),
  reopen: rule({
    legal: (s) => s.status === 'closed' && (s.step === 'evaluate' || s.step === 'ended'),
    who: isLeader,
    required: ['reason'],
    timed: false,
  }),
  void: rule({
    legal: (s) =>
      (s.status === 'active' || s.status === 'suspended') &&
      ['collect', 'onSiteCheck', 'open', 'dispatch', 'handle', 'verify', 'close'].includes(s.step),
    who: isLeader,
    required: ['reason'],
    timed: false,
  }),
  suspend: rule({
    legal: inStep('dispatch', 'handle'),
    who: isLeader,
    required: ['reason'],
    endsStep: false,
    timed: false,
  }),
  resume: rule({ legal: (s) => s.status === 'suspended', who: isLeader, endsStep: false, timed: false }),
  informReporter: rule({
    legal: (s) => s.reporterDeadline !== null && s.reporterInformedAt === null,
    who: isDesk,
    required: ['note'],
    endsStep: false,
  }),
};

/** The moves legal in the case's current state, whoever asks. */
export function legalMoves(state: CaseState): MoveType[] {
  return MOVE_TYPES.filter((m) => MOVE_RULES[m].legal(state));
}

/** The moves this actor may make now: what the case detail page offers. */
export function allowedMoves(state: CaseState, actor: ActorFacts): MoveType[] {
  return MOVE_TYPES.filter((m) => MOVE_RULES[m].legal(state) && MOVE_RULES[m].who(actor));
}

// ---------------------------------------------------------------------------------------------------------
// Starting a case and applying a move.
// ---------------------------------------------------------------------------------------------------------

export interface NewCase {
  id: string;
  channel: string;
  categoryKey: string | null;
  parentCategoryKey?: string | null;
  areaGrade: AreaGrade | null;
  underWay?: boolean;
  /** A reporter who must be told the outcome (第26条): resident, 12345, Open311, dual report. */
  hasReporter: boolean;
  receivedAt: Date;
}

const limitStepOf = (state: Pick<CaseState, 'underWay'>, step: CaseStep): LimitStep | null => {
  if (step === 'ended') return null;
  if (step === 'onSiteCheck') return state.underWay ? 'onSiteCheckUnderWay' : 'onSiteCheck';
  return step;
};

function stepDeadline(
  state: CaseState,
  step: CaseStep,
  from: Date,
  limits: TimeLimitLookup,
): Deadline | null {
  const limitStep = limitStepOf(state, step);
  if (limitStep === null) return null;
  return limits.deadline(
    {
      step: limitStep,
      categoryKey: state.categoryKey,
      parentCategoryKey: state.parentCategoryKey,
      areaGrade: state.areaGrade,
    },
    from,
  );
}

/** A new case in `collect`, with its acceptance deadline and, when there is a reporter, the 第26条 deadline. */
export function startCase(input: NewCase, limits: TimeLimitLookup): CaseState {
  const base: CaseState = {
    id: input.id,
    status: 'active',
    step: 'collect',
    channel: input.channel,
    categoryKey: input.categoryKey,
    parentCategoryKey: input.parentCategoryKey ?? null,
    areaGrade: input.areaGrade,
    underWay: input.underWay ?? false,
    receivedAt: formatShanghai(input.receivedAt),
    responsibleUnitId: null,
    handlingUnitId: null,
    stepStartedAt: formatShanghai(input.receivedAt),
    deadline: null,
    reporterDeadline: null,
    reporterInformedAt: null,
    pendingPostpone: null,
    suspendedAt: null,
    closedAt: null,
    dispatchCount: 0,
    reworkCount: 0,
    returnCount: 0,
    postponeCount: 0,
    reopenCount: 0,
    version: 1,
  };
  // 上海市城市管理行政执法条例 第26条: "收到举报后 … 在五个工作日内将核查情况告知举报人" — counted from receipt.
  const reporterDeadline = input.hasReporter
    ? limits.deadline(
        {
          step: 'reporterFeedback',
          categoryKey: base.categoryKey,
          parentCategoryKey: base.parentCategoryKey,
          areaGrade: base.areaGrade,
        },
        input.receivedAt,
      )
    : null;
  return {
    ...base,
    deadline: stepDeadline(base, 'collect', input.receivedAt, limits),
    reporterDeadline,
  };
}

const text = (v: string | undefined): string | null => (v === undefined || v.trim() === '' ? null : v.trim());

function requireFields(move: Move, r: MoveRule): void {
  for (const field of r.required) {
    switch (field) {
      case 'reason':
      case 'note':
      case 'targetUnitId':
        if (text(move[field]) === null) throw invalid('moveFieldRequired', { field });
        break;
      case 'attachments':
        if ((move.attachments ?? []).length < r.minAttachments) {
          throw invalid('moveFieldRequired', { field, min: r.minAttachments });
        }
        break;
      case 'extension': {
        const e = move.extension;
        if (e === undefined) throw invalid('moveFieldRequired', { field });
        if (!isDurationUnit(e.unit) || !Number.isSafeInteger(e.n) || e.n < 1) {
          throw invalid('durationInvalid', {
            field,
            value: e,
            expected: 'n ≥ 1 of day|workday|hour|workhour',
          });
        }
        break;
      }
    }
  }
}

const dueOf = (d: Deadline): Date => new Date(d.due);
const onTimeAgainst = (d: Deadline | null, now: Date): boolean | null =>
  d === null ? null : now <= dueOf(d);

/**
 * Applies one move. Refuses, in this order: a move not legal in the current state (Invalid illegalMove,
 * with the legal ones), an actor who may not make it (Forbidden moveNotPermitted), a missing field
 * (Invalid moveFieldRequired). A deadline the calendar cannot compute refuses with DeadlineUnknown.
 */
export function applyMove(
  state: CaseState,
  move: Move,
  actor: MoveActor,
  now: Date,
  limits: TimeLimitLookup,
): { state: CaseState; flow: FlowRecord } {
  if (!isMoveType(move.type)) {
    throw invalid('illegalMove', { from: state.step, move: move.type, allowed: legalMoves(state) });
  }
  const r = MOVE_RULES[move.type];
  if (!r.legal(state))
    throw invalid('illegalMove', { from: state.step, move: move.type, allowed: legalMoves(state) });
  if (!r.who(actor)) throw forbidden('moveNotPermitted', { move: move.type, role: actor.role });
  requireFields(move, r);

  const at = formatShanghai(now);
  const next: CaseState = { ...state, version: state.version + 1 };
  const enter = (step: CaseStep, from: Date = now): void => {
    next.step = step;
    next.stepStartedAt = at;
    next.deadline = stepDeadline(next, step, from, limits);
  };
  // What the flow record measures; the defaults suit a move that ends its step.
  let startedAt = r.endsStep ? state.stepStartedAt : at;
  let measured: Deadline | null = r.timed ? state.deadline : null;

  switch (move.type) {
    case 'accept':
      if (move.categoryKey !== undefined) {
        next.categoryKey = move.categoryKey;
        next.parentCategoryKey = move.parentCategoryKey ?? null;
      }
      // 上海市拆除违法建筑若干规定 第7条 counts the on-site period from the report ("接到举报后"), so the check
      // deadline runs from receipt, not from acceptance.
      if (move.onSiteCheck === true) enter('onSiteCheck', new Date(state.receivedAt));
      else enter('open');
      break;
    case 'reject':
      next.status = 'rejected';
      enter('ended');
      break;
    case 'check':
      enter('open');
      break;
    case 'open':
      if (move.categoryKey !== undefined) {
        next.categoryKey = move.categoryKey;
        next.parentCategoryKey = move.parentCategoryKey ?? null;
      }
      enter('dispatch');
      break;
    case 'decline':
      next.status = 'declined';
      enter('ended');
      break;
    case 'dispatch':
      next.responsibleUnitId = text(move.targetUnitId);
      next.handlingUnitId = next.responsibleUnitId;
      next.dispatchCount = state.dispatchCount + 1;
      enter('handle');
      break;
    case 'dispatchWithin':
      // 二级派遣: the handle period keeps running; only the handling unit changes.
      next.handlingUnitId = text(move.targetUnitId);
      break;
    case 'feedback':
      next.pendingPostpone = null;
      enter('verify');
      break;
    case 'return':
      next.pendingPostpone = null;
      next.responsibleUnitId = null;
      next.handlingUnitId = null;
      next.returnCount = state.returnCount + 1;
      enter('dispatch');
      break;
    case 'requestPostpone': {
      const extension = move.extension;
      if (extension === undefined) break; // unreachable: requireFields checked it
      next.pendingPostpone = {
        requestedAt: at,
        requestedBy: actor.id,
        extension: { n: extension.n, unit: extension.unit },
        reason: text(move.reason) ?? '',
      };
      measured = state.deadline;
      break;
    }
    case 'approvePostpone': {
      const pending = state.pendingPostpone;
      if (pending === null) break; // unreachable: `legal` requires one
      startedAt = pending.requestedAt;
      const old = state.deadline;
      // The extension runs on from the old due instant (or from now when the step had no limit).
      next.deadline = computeDeadline(limits.calendar, {
        from: old === null ? now : dueOf(old),
        rule: pending.extension,
        basis: `${old === null ? 'no limit' : old.basis}; 延期 approved: +${pending.extension.n} ${pending.extension.unit}`,
      });
      next.pendingPostpone = null;
      next.postponeCount = state.postponeCount + 1;
      break;
    }
    case 'denyPostpone':
      startedAt = state.pendingPostpone?.requestedAt ?? at;
      next.pendingPostpone = null;
      break;
    case 'verify':
      enter('close');
      break;
    case 'rework':
      next.reworkCount = state.reworkCount + 1;
      enter('handle');
      break;
    case 'close':
      next.status = 'closed';
      next.closedAt = at;
      enter('evaluate');
      break;
    case 'evaluate':
      enter('ended');
      break;
    case 'reopen':
      next.status = 'active';
      next.closedAt = null;
      next.reopenCount = state.reopenCount + 1;
      enter('handle');
      break;
    case 'void':
      next.status = 'voided';
      next.suspendedAt = null;
      next.pendingPostpone = null;
      enter('ended');
      break;
    case 'suspend':
      next.status = 'suspended';
      next.suspendedAt = at;
      measured = state.deadline;
      break;
    case 'resume': {
      const since = state.suspendedAt ?? at;
      startedAt = since;
      next.status = 'active';
      next.suspendedAt = null;
      // 挂账 stops the step's clock: the deadline is recomputed with the suspended time left out.
      const old = state.deadline;
      if (old !== null) {
        next.deadline = computeDeadline(limits.calendar, {
          from: new Date(old.from),
          rule: old.rule,
          basis: old.basis,
          suspensions: [
            ...(old.suspensions ?? []).map((s) => ({ from: new Date(s.from), to: new Date(s.to) })),
            ...(new Date(since) < now ? [{ from: new Date(since), to: now }] : []),
          ],
        });
      }
      break;
    }
    case 'informReporter':
      next.reporterInformedAt = at;
      startedAt = state.receivedAt;
      measured = state.reporterDeadline;
      break;
  }

  const flow: FlowRecord = {
    step: state.step,
    move: move.type,
    toStep: next.step,
    actorId: actor.id,
    role: actor.role,
    unitId: actor.unitId,
    startedAt,
    endedAt: at,
    deadline: measured,
    onTime: r.timed ? onTimeAgainst(measured, now) : null,
    note: text(move.note),
    reason: text(move.reason),
    targetUnitId: text(move.targetUnitId),
    attachments: [...(move.attachments ?? [])],
  };
  return { state: next, flow };
}
