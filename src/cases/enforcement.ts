/**
 * The administrative-penalty procedure (执法办案, 行政处罚法 一般程序) of a case that leads to a penalty, as a
 * pure state machine:
 *
 *   filing (立案审批) → investigation (调查取证) → notice (事先告知) → defence (陈述申辩) | hearing (听证)
 *   → legal review (法制审核, where required) → decision (决定, 集体讨论 where required) → service (送达)
 *   → execution (执行: payment, demand, court enforcement, demolition) → closing (结案) → archived.
 *
 * Each step lists the documents it needs; a step-closing move is refused while one is missing. Deadlines
 * carry their legal basis. "二日/三日/五日/七日" are working days (行政处罚法 第85条), as are 行政强制法's periods
 * of ten days or less (第69条); longer periods are natural days whose last day rolls past a holiday.
 * No clock, no I/O: `now` and the working-day calendar are passed in.
 *
 * Placement of 法制审核: 第58条 requires it "在行政机关负责人作出行政处罚的决定之前", and its case (二) turns on
 * whether a hearing was held, which is known only after the defence/hearing step; so the review sits
 * between the defence/hearing and the decision, which satisfies every case of 第58条.
 */
import type { Role } from '../access/roles.js';
import type { WorkCalendar } from '../platform/calendar/calendar.js';
import {
  type Deadline,
  type Duration,
  type DurationUnit,
  type Suspension,
  computeDeadline,
  isDurationUnit,
} from '../platform/calendar/deadline.js';
import { formatShanghai, parseInstant, shanghaiDayOf } from '../platform/calendar/shanghai-time.js';
import { forbidden, invalid } from '../platform/errors.js';
import type { TimeLimitRule } from './time-limits.js';

export const ENFORCEMENT_STEPS = [
  'filing',
  'investigation',
  'notice',
  'defence',
  'hearing',
  'legalReview',
  'decision',
  'service',
  'execution',
  'closing',
  'archived',
] as const;
export type EnforcementStep = (typeof ENFORCEMENT_STEPS)[number];

/** The case file's documents (执法文书), by the identifier the code uses. */
export const DOCUMENT_KINDS = [
  'filingApproval',
  'onSiteInspectionRecord',
  'interviewRecord',
  'evidence',
  'priorNotice',
  'statementRecord',
  'hearingNotice',
  'hearingRecord',
  'legalReviewOpinion',
  'collectiveDiscussionRecord',
  'extensionApproval',
  'decisionDocument',
  'serviceReceipt',
  'paymentReceipt',
  'demandNotice',
  'enforcementApplication',
  'demolitionNotice',
  'forcedDemolitionDecision',
  'complianceRecord',
  'closingApproval',
] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];
export const isDocumentKind = (v: string): v is DocumentKind =>
  (DOCUMENT_KINDS as readonly string[]).includes(v);

/** The documents' names as the forms are titled. */
export const DOCUMENT_NAMES_ZH: Readonly<Record<DocumentKind, string>> = {
  filingApproval: '立案审批表',
  onSiteInspectionRecord: '现场检查笔录',
  interviewRecord: '询问笔录',
  evidence: '证据材料',
  priorNotice: '行政处罚事先告知书',
  statementRecord: '陈述申辩笔录',
  hearingNotice: '听证通知书',
  hearingRecord: '听证笔录',
  legalReviewOpinion: '法制审核意见书',
  collectiveDiscussionRecord: '集体讨论记录',
  extensionApproval: '延期审批表',
  decisionDocument: '行政处罚决定书',
  serviceReceipt: '送达回证',
  paymentReceipt: '缴款凭证',
  demandNotice: '催告书',
  enforcementApplication: '强制执行申请书',
  demolitionNotice: '限期拆除公告',
  forcedDemolitionDecision: '强制拆除决定书',
  complianceRecord: '履行情况记录',
  closingApproval: '结案审批表',
};

/** Facts of the case that decide which steps and documents the law requires; set by the officers. */
export interface EnforcementFlags {
  /** 行政处罚法 第63条: the intended penalty gives the right to a hearing (较大数额罚款, 责令停产停业 …). */
  hearingRight: boolean;
  /** 第58条(一): 涉及重大公共利益. */
  majorPublicInterest: boolean;
  /** 第58条(二): 直接关系当事人或者第三人重大权益 — review required once a hearing has been held. */
  majorRights: boolean;
  /** 第58条(三): 案情疑难复杂、涉及多个法律关系. */
  legallyComplex: boolean;
  /** 第58条(四): another law or regulation requires legal review. */
  reviewRequiredByLaw: boolean;
  /** 第57条第2款: 情节复杂 — the leaders decide collectively. */
  complexCircumstances: boolean;
  /** 第57条第2款: 重大违法行为 — the leaders decide collectively. */
  majorViolation: boolean;
  /** 行政强制法 第44条: an illegal building or structure to be demolished. */
  illegalStructure: boolean;
}

export const NO_FLAGS: EnforcementFlags = {
  hearingRight: false,
  majorPublicInterest: false,
  majorRights: false,
  legallyComplex: false,
  reviewRequiredByLaw: false,
  complexCircumstances: false,
  majorViolation: false,
  illegalStructure: false,
};

/** 行政处罚法 第58条: whether the decision needs legal review first. */
export function legalReviewRequired(flags: EnforcementFlags, hearingHeld: boolean): boolean {
  return (
    flags.majorPublicInterest ||
    (flags.majorRights && hearingHeld) ||
    flags.legallyComplex ||
    flags.reviewRequiredByLaw
  );
}

/** 行政处罚法 第57条第2款: whether the leaders must decide collectively (集体讨论). */
export const collectiveDecisionRequired = (flags: EnforcementFlags): boolean =>
  flags.complexCircumstances || flags.majorViolation;

export const ENFORCEMENT_PERIODS = [
  'decision',
  'hearingRequest',
  'hearingNotice',
  'service',
  'payment',
  'demand',
  'demolitionNotice',
] as const;
export type EnforcementPeriod = (typeof ENFORCEMENT_PERIODS)[number];

export interface EnforcementRules {
  periods: Readonly<Record<EnforcementPeriod, TimeLimitRule>>;
  /**
   * Hearing time is left out of the decision period. 行政处罚法 第60条 lets 规章 say otherwise; the
   * ministry rules exclude 听证、公告、鉴定 time (DOMAIN-CN §2.3; 住建部令第55号 text still to be checked).
   */
  hearingStopsDecisionClock: boolean;
}

/** How a period's unit reads in a legal basis. */
const UNIT_ZH: Record<DurationUnit, string> = {
  day: '日',
  workday: '个工作日',
  hour: '小时',
  workhour: '个工作小时',
};

/** The statutory periods, as data so that an amendment is a data change. */
export const DEFAULT_ENFORCEMENT_RULES: EnforcementRules = {
  periods: {
    decision: { n: 90, unit: 'day', basis: '行政处罚法 第60条：自立案之日起九十日内作出行政处罚决定' },
    hearingRequest: {
      n: 5,
      unit: 'workday',
      basis: '行政处罚法 第64条第（一）项、第85条：当事人在告知后五个工作日内提出听证要求',
    },
    hearingNotice: {
      n: 7,
      unit: 'workday',
      basis: '行政处罚法 第64条第（二）项、第85条：听证七个工作日前通知当事人',
    },
    service: {
      n: 7,
      unit: 'workday',
      basis: '行政处罚法 第61条、第85条：当事人不在场的，七个工作日内送达处罚决定书',
    },
    payment: {
      n: 15,
      unit: 'day',
      basis: '行政处罚法 第67条：自收到处罚决定书之日起十五日内缴纳罚款',
    },
    demand: {
      n: 10,
      unit: 'workday',
      basis: '行政强制法 第54条、第69条：催告书送达十个工作日后方可申请人民法院强制执行',
    },
    demolitionNotice: {
      n: 10,
      unit: 'day',
      basis: '行政强制法 第44条、上海市拆除违法建筑若干规定 第9条：强制拆除前公告不少于十日',
    },
  },
  hearingStopsDecisionClock: true,
};

export const EXECUTION_OUTCOMES = ['paid', 'courtEnforcement', 'demolished', 'complied'] as const;
export type ExecutionOutcome = (typeof EXECUTION_OUTCOMES)[number];

export type EnforcementOutcome = 'penalty' | 'noPenalty' | 'notFiled';

export interface EnforcementDocument {
  kind: DocumentKind;
  attachmentId: string;
  step: EnforcementStep;
  addedAt: string;
  addedBy: string;
}

export interface EnforcementState {
  caseId: string;
  step: EnforcementStep;
  outcome: EnforcementOutcome | null;
  flags: EnforcementFlags;
  documents: EnforcementDocument[];
  /** 行政处罚法 第42条: the officers who investigated, at least two. */
  officerIds: string[];
  filedAt: string | null;
  /** 第60条 period, with suspensions and approved extensions applied. */
  decisionDeadline: Deadline | null;
  decisionExtensions: Duration[];
  /** Stopped decision-clock intervals (hearing, appraisal, public notice …). */
  clockSuspensions: { from: string; to: string; reason: string }[];
  clockSuspendedAt: string | null;
  clockSuspendedReason: string | null;
  noticeServedAt: string | null;
  hearingRequestDeadline: Deadline | null;
  rightsWaived: boolean;
  statementMade: boolean | null;
  hearingRequestedAt: string | null;
  hearingAt: string | null;
  hearingHeld: boolean;
  legalReviewPassed: boolean;
  decidedAt: string | null;
  fineCents: number | null;
  serviceDeadline: Deadline | null;
  servedAt: string | null;
  partyPresent: boolean | null;
  paymentDeadline: Deadline | null;
  demolitionNoticeDeadline: Deadline | null;
  demandServedAt: string | null;
  demandDeadline: Deadline | null;
  executionOutcome: ExecutionOutcome | null;
  lateFeeCents: number | null;
  closedAt: string | null;
  version: number;
}

export const ENFORCEMENT_MOVE_TYPES = [
  'addDocument',
  'approveFiling',
  'declineFiling',
  'completeInvestigation',
  'noPenalty',
  'extendDecision',
  'suspendClock',
  'resumeClock',
  'serveNotice',
  'waiveRights',
  'requestHearing',
  'completeDefence',
  'scheduleHearing',
  'completeHearing',
  'passLegalReview',
  'failLegalReview',
  'decide',
  'serve',
  'publishDemolitionNotice',
  'demand',
  'completeExecution',
  'closeCase',
] as const;
export type EnforcementMoveType = (typeof ENFORCEMENT_MOVE_TYPES)[number];
export const isEnforcementMoveType = (v: string): v is EnforcementMoveType =>
  (ENFORCEMENT_MOVE_TYPES as readonly string[]).includes(v);

export interface EnforcementMove {
  type: EnforcementMoveType;
  reason?: string;
  note?: string;
  /** addDocument */
  document?: DocumentKind;
  attachmentId?: string;
  /** completeInvestigation: the officers who investigated (第42条: at least two). */
  officerIds?: readonly string[];
  /** completeInvestigation: what the investigation established. */
  flags?: Partial<EnforcementFlags>;
  /** extendDecision */
  extension?: Duration;
  /** completeDefence: the party made a statement or defence (then its record is needed). */
  statementMade?: boolean;
  /** scheduleHearing: when the hearing is held, ISO 8601 with a zone. */
  hearingAt?: string;
  /** decide: the fine in cents (0 when the penalty has no fine). */
  fineCents?: number;
  /** serve: the party was present when the decision was announced (当场交付). */
  partyPresent?: boolean;
  /** completeExecution */
  outcome?: ExecutionOutcome;
  /** completeExecution (court, demolition): no review or suit was brought within the statutory period. */
  appealPeriodEnded?: boolean;
}

export interface EnforcementActor {
  id: string;
  role: Role | null;
}

export interface EnforcementRecord {
  step: EnforcementStep;
  move: EnforcementMoveType;
  toStep: EnforcementStep;
  actorId: string;
  role: Role | null;
  at: string;
  deadline: Deadline | null;
  onTime: boolean | null;
  note: string | null;
  reason: string | null;
  document: DocumentKind | null;
  attachmentId: string | null;
}

// ---------------------------------------------------------------------------------------------------------
// Documents
// ---------------------------------------------------------------------------------------------------------

/** The documents a step needs before it can close; execution depends on how it ends. */
export function requiredDocuments(
  state: EnforcementState,
  step: EnforcementStep,
  outcome: ExecutionOutcome | null = state.executionOutcome,
): DocumentKind[] {
  switch (step) {
    case 'filing':
      return ['filingApproval'];
    case 'investigation':
      return ['onSiteInspectionRecord', 'interviewRecord', 'evidence'];
    case 'notice':
      return ['priorNotice'];
    case 'defence':
      // Expected until the officers record that the party made no statement.
      return state.statementMade === false ? [] : ['statementRecord'];
    case 'hearing':
      return ['hearingNotice', 'hearingRecord'];
    case 'legalReview':
      return ['legalReviewOpinion'];
    case 'decision':
      return collectiveDecisionRequired(state.flags)
        ? ['collectiveDiscussionRecord', 'decisionDocument']
        : ['decisionDocument'];
    case 'service':
      return ['serviceReceipt'];
    case 'execution':
      switch (outcome) {
        case 'paid':
          return ['paymentReceipt'];
        case 'courtEnforcement':
          return ['demandNotice', 'enforcementApplication'];
        case 'demolished':
          return ['demolitionNotice', 'demandNotice', 'forcedDemolitionDecision'];
        case 'complied':
          return ['complianceRecord'];
        case null:
          return [];
      }
      return [];
    case 'closing':
      return ['closingApproval'];
    case 'archived':
      return [];
  }
}

/** The documents a step still lacks (in the order of requiredDocuments). */
export function missingDocuments(
  state: EnforcementState,
  step: EnforcementStep,
  outcome: ExecutionOutcome | null = state.executionOutcome,
): DocumentKind[] {
  const present = new Set(state.documents.map((d) => d.kind));
  return requiredDocuments(state, step, outcome).filter((k) => !present.has(k));
}

const requireDocuments = (
  state: EnforcementState,
  step: EnforcementStep,
  kinds: readonly DocumentKind[],
): void => {
  const present = new Set(state.documents.map((d) => d.kind));
  const missing = kinds.filter((k) => !present.has(k));
  if (missing.length > 0) throw invalid('documentsMissing', { step, missing });
};

// ---------------------------------------------------------------------------------------------------------
// Money: 行政处罚法 第72条(一), 行政强制法 第45条
// ---------------------------------------------------------------------------------------------------------

/**
 * The late fee (加处罚款) in cents: 3% of the fine per day late, never more than the fine (行政处罚法 第72条(一);
 * 行政强制法 第45条第2款). Rounded down to the cent, in the party's favour.
 */
export function lateFee(fineCents: number, daysLate: number): number {
  if (!Number.isSafeInteger(fineCents) || fineCents < 0) {
    throw invalid('amountInvalid', { field: 'fineCents', value: fineCents, expected: 'integer cents ≥ 0' });
  }
  if (!Number.isSafeInteger(daysLate) || daysLate < 0) {
    throw invalid('amountInvalid', { field: 'daysLate', value: daysLate, expected: 'integer ≥ 0' });
  }
  // After 34 days 3% a day passes 100%: the cap applies (and the product stays small).
  const days = BigInt(Math.min(daysLate, 34));
  const fee = Number((BigInt(fineCents) * 3n * days) / 100n);
  return Math.min(fee, fineCents);
}

/** Whole Shanghai days after the due day, up to and including today: the days the late fee counts. */
export function daysLate(due: Deadline, now: Date): number {
  return Math.max(0, shanghaiDayOf(now.getTime()) - shanghaiDayOf(new Date(due.due).getTime()));
}

/** The fine plus the late fee owed at `now`; 0 before a decision with a fine. */
export function amountDue(state: EnforcementState, now: Date): number {
  const fine = state.fineCents ?? 0;
  if (fine === 0 || state.paymentDeadline === null) return fine;
  return fine + lateFee(fine, daysLate(state.paymentDeadline, now));
}

// ---------------------------------------------------------------------------------------------------------
// Deadlines
// ---------------------------------------------------------------------------------------------------------

const dueOf = (d: Deadline): Date => new Date(d.due);

/** The decision deadline: 90 days from filing, stopped clock left out, approved extensions added on. */
export function decisionDeadlineOf(
  state: Pick<EnforcementState, 'filedAt' | 'decisionExtensions' | 'clockSuspensions'>,
  calendar: WorkCalendar,
  rules: EnforcementRules = DEFAULT_ENFORCEMENT_RULES,
): Deadline | null {
  if (state.filedAt === null) return null;
  const suspensions: Suspension[] = state.clockSuspensions.map((s) => ({
    from: new Date(s.from),
    to: new Date(s.to),
  }));
  const base = rules.periods.decision;
  let deadline = computeDeadline(calendar, {
    from: new Date(state.filedAt),
    rule: { n: base.n, unit: base.unit },
    basis: base.basis,
    suspensions,
  });
  for (const extension of state.decisionExtensions) {
    deadline = computeDeadline(calendar, {
      from: dueOf(deadline),
      rule: extension,
      basis: `${deadline.basis}；经批准延长 ${extension.n} ${UNIT_ZH[extension.unit]}（第60条"从其规定"）`,
      suspensions,
    });
  }
  return deadline;
}

/** Whether the decision is overdue at `now` (filed, not decided, clock running past the deadline). */
export function decisionOverdue(state: EnforcementState, now: Date): boolean {
  return (
    state.decidedAt === null &&
    state.decisionDeadline !== null &&
    state.clockSuspendedAt === null &&
    now > dueOf(state.decisionDeadline)
  );
}

// ---------------------------------------------------------------------------------------------------------
// Who and when
// ---------------------------------------------------------------------------------------------------------

/** 执法人员 (a squad leader is a sworn officer too). */
const OFFICERS: readonly Role[] = ['officer', 'squadLeader'];
/** 行政机关负责人 as the squad and the bureau know them. */
const LEADERS: readonly Role[] = ['squadLeader', 'bureauLeader'];
/** 从事法制审核的人员: the bureau's legal section. */
const REVIEWERS: readonly Role[] = ['bureauStaff'];
const FILERS: readonly Role[] = ['officer', 'squadLeader', 'bureauStaff', 'bureauLeader'];

const BEFORE_DECISION: readonly EnforcementStep[] = [
  'investigation',
  'notice',
  'defence',
  'hearing',
  'legalReview',
  'decision',
];

interface EnforcementMoveRule {
  legal: (s: EnforcementState) => boolean;
  roles: readonly Role[];
}

const at =
  (...steps: EnforcementStep[]) =>
  (s: EnforcementState): boolean =>
    steps.includes(s.step);

/** Each move's legality and the roles that may make it. */
export const ENFORCEMENT_MOVE_RULES: Readonly<Record<EnforcementMoveType, EnforcementMoveRule>> = {
  addDocument: { legal: (s) => s.step !== 'archived', roles: FILERS },
  approveFiling: { legal: at('filing'), roles: LEADERS },
  declineFiling: { legal: at('filing'), roles: LEADERS },
  completeInvestigation: { legal: at('investigation'), roles: OFFICERS },
  // 第57条(二)(三)(四): no penalty, facts not established, or transferred to the judiciary.
  noPenalty: { legal: at('investigation', 'decision'), roles: LEADERS },
  extendDecision: { legal: (s) => BEFORE_DECISION.includes(s.step), roles: LEADERS },
  suspendClock: {
    legal: (s) => BEFORE_DECISION.includes(s.step) && s.clockSuspendedAt === null,
    roles: LEADERS,
  },
  // The hearing's own stop ends with the hearing (completeHearing), not by hand.
  resumeClock: {
    legal: (s) =>
      BEFORE_DECISION.includes(s.step) && s.clockSuspendedAt !== null && s.clockSuspendedReason !== 'hearing',
    roles: LEADERS,
  },
  serveNotice: { legal: at('notice'), roles: OFFICERS },
  waiveRights: { legal: (s) => s.step === 'defence' && !s.rightsWaived, roles: OFFICERS },
  requestHearing: { legal: at('defence'), roles: OFFICERS },
  completeDefence: { legal: at('defence'), roles: OFFICERS },
  scheduleHearing: { legal: at('hearing'), roles: OFFICERS },
  completeHearing: { legal: (s) => s.step === 'hearing' && s.hearingAt !== null, roles: OFFICERS },
  passLegalReview: { legal: at('legalReview'), roles: REVIEWERS },
  failLegalReview: { legal: at('legalReview'), roles: REVIEWERS },
  decide: { legal: at('decision'), roles: LEADERS },
  serve: { legal: at('service'), roles: OFFICERS },
  publishDemolitionNotice: {
    legal: (s) => s.step === 'execution' && s.flags.illegalStructure && s.demolitionNoticeDeadline === null,
    roles: OFFICERS,
  },
  demand: { legal: (s) => s.step === 'execution' && s.demandServedAt === null, roles: OFFICERS },
  completeExecution: { legal: at('execution'), roles: LEADERS },
  closeCase: { legal: at('closing'), roles: LEADERS },
};

/** The moves legal in the current state, whoever asks. */
export function legalEnforcementMoves(state: EnforcementState): EnforcementMoveType[] {
  return ENFORCEMENT_MOVE_TYPES.filter((m) => ENFORCEMENT_MOVE_RULES[m].legal(state));
}

/** The moves this actor may make now. */
export function enforcementMoves(
  state: EnforcementState,
  actor: Pick<EnforcementActor, 'role'>,
): EnforcementMoveType[] {
  return ENFORCEMENT_MOVE_TYPES.filter((m) => {
    const r = ENFORCEMENT_MOVE_RULES[m];
    return r.legal(state) && actor.role !== null && r.roles.includes(actor.role);
  });
}

/** A new procedure, waiting for its filing to be approved. */
export function startEnforcement(caseId: string, flags: Partial<EnforcementFlags> = {}): EnforcementState {
  return {
    caseId,
    step: 'filing',
    outcome: null,
    flags: { ...NO_FLAGS, ...flags },
    documents: [],
    officerIds: [],
    filedAt: null,
    decisionDeadline: null,
    decisionExtensions: [],
    clockSuspensions: [],
    clockSuspendedAt: null,
    clockSuspendedReason: null,
    noticeServedAt: null,
    hearingRequestDeadline: null,
    rightsWaived: false,
    statementMade: null,
    hearingRequestedAt: null,
    hearingAt: null,
    hearingHeld: false,
    legalReviewPassed: false,
    decidedAt: null,
    fineCents: null,
    serviceDeadline: null,
    servedAt: null,
    partyPresent: null,
    paymentDeadline: null,
    demolitionNoticeDeadline: null,
    demandServedAt: null,
    demandDeadline: null,
    executionOutcome: null,
    lateFeeCents: null,
    closedAt: null,
    version: 1,
  };
}

const text = (v: string | undefined): string | null => (v === undefined || v.trim() === '' ? null : v.trim());
const need = <T>(value: T | undefined | null, field: string): T => {
  if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) {
    throw invalid('moveFieldRequired', { field });
  }
  return value;
};

/**
 * Applies one move of the procedure. Refuses an illegal move (Invalid illegalMove), a role that may not
 * make it (Forbidden moveNotPermitted), a missing field (Invalid moveFieldRequired), a missing document
 * (Invalid documentsMissing), and a move the law does not allow yet or any more (Invalid, with the basis).
 */
export function applyEnforcementMove(
  state: EnforcementState,
  move: EnforcementMove,
  actor: EnforcementActor,
  now: Date,
  calendar: WorkCalendar,
  rules: EnforcementRules = DEFAULT_ENFORCEMENT_RULES,
): { state: EnforcementState; record: EnforcementRecord } {
  const allowed = legalEnforcementMoves(state);
  if (!isEnforcementMoveType(move.type) || !ENFORCEMENT_MOVE_RULES[move.type].legal(state)) {
    throw invalid('illegalMove', { from: state.step, move: move.type, allowed });
  }
  if (actor.role === null || !ENFORCEMENT_MOVE_RULES[move.type].roles.includes(actor.role)) {
    throw forbidden('moveNotPermitted', { move: move.type, role: actor.role });
  }

  const nowText = formatShanghai(now);
  const period = (p: EnforcementPeriod, from: Date, suspensions: readonly Suspension[] = []): Deadline => {
    const r = rules.periods[p];
    return computeDeadline(calendar, { from, rule: { n: r.n, unit: r.unit }, basis: r.basis, suspensions });
  };
  const next: EnforcementState = {
    ...state,
    documents: [...state.documents],
    version: state.version + 1,
  };
  let deadline: Deadline | null = null;
  let onTime: boolean | null = null;
  let document: DocumentKind | null = null;
  let attachmentId: string | null = null;
  const closeStep = (kinds: readonly DocumentKind[] = requiredDocuments(state, state.step)): void =>
    requireDocuments(state, state.step, kinds);
  // After the defence or hearing: legal review where 第58条 requires it, else straight to the decision.
  const afterDefence = (hearingHeld: boolean): EnforcementStep =>
    legalReviewRequired(next.flags, hearingHeld) ? 'legalReview' : 'decision';

  switch (move.type) {
    case 'addDocument': {
      const kind = need(move.document, 'document');
      if (!isDocumentKind(kind)) {
        throw invalid('documentKindInvalid', {
          field: 'document',
          value: kind,
          expected: DOCUMENT_KINDS.join('|'),
        });
      }
      attachmentId = need(text(move.attachmentId), 'attachmentId');
      document = kind;
      next.documents.push({ kind, attachmentId, step: state.step, addedAt: nowText, addedBy: actor.id });
      break;
    }
    case 'approveFiling':
      closeStep();
      next.step = 'investigation';
      next.filedAt = nowText;
      next.decisionDeadline = decisionDeadlineOf(next, calendar, rules);
      deadline = next.decisionDeadline;
      break;
    case 'declineFiling':
      need(text(move.reason), 'reason');
      next.step = 'archived';
      next.outcome = 'notFiled';
      next.closedAt = nowText;
      break;
    case 'completeInvestigation': {
      const officers = [...new Set(need(move.officerIds, 'officerIds'))];
      // 行政处罚法 第42条: "执法人员不得少于两人".
      if (officers.length < 2) {
        throw invalid('officersTooFew', {
          field: 'officerIds',
          min: 2,
          got: officers.length,
          basis: '行政处罚法 第42条',
        });
      }
      closeStep();
      next.officerIds = officers;
      next.flags = { ...state.flags, ...(move.flags ?? {}) };
      next.step = 'notice';
      break;
    }
    case 'noPenalty':
      need(text(move.reason), 'reason');
      next.outcome = 'noPenalty';
      next.step = 'closing';
      break;
    case 'extendDecision': {
      need(text(move.reason), 'reason');
      const extension = need(move.extension, 'extension');
      if (!isDurationUnit(extension.unit) || !Number.isSafeInteger(extension.n) || extension.n < 1) {
        throw invalid('durationInvalid', { field: 'extension', value: extension });
      }
      // One 延期审批表 per extension.
      const approvals = state.documents.filter((d) => d.kind === 'extensionApproval').length;
      if (approvals <= state.decisionExtensions.length) {
        throw invalid('documentsMissing', { step: state.step, missing: ['extensionApproval'] });
      }
      // An extension must be approved while the period still runs (第60条).
      if (decisionOverdue(state, now)) {
        const due = state.decisionDeadline?.due;
        throw invalid('decisionOverdue', { due, basis: rules.periods.decision.basis });
      }
      next.decisionExtensions = [...state.decisionExtensions, { n: extension.n, unit: extension.unit }];
      next.decisionDeadline = decisionDeadlineOf(next, calendar, rules);
      deadline = state.decisionDeadline;
      onTime = true;
      break;
    }
    case 'suspendClock':
      next.clockSuspendedAt = nowText;
      next.clockSuspendedReason = need(text(move.reason), 'reason');
      break;
    case 'resumeClock': {
      const from = state.clockSuspendedAt ?? nowText;
      if (new Date(from) < now) {
        next.clockSuspensions = [
          ...state.clockSuspensions,
          { from, to: nowText, reason: state.clockSuspendedReason ?? '' },
        ];
      }
      next.clockSuspendedAt = null;
      next.clockSuspendedReason = null;
      next.decisionDeadline = decisionDeadlineOf(next, calendar, rules);
      break;
    }
    case 'serveNotice':
      // 行政处罚法 第44条: the intended penalty and the rights to state, defend and ask for a hearing.
      closeStep();
      next.step = 'defence';
      next.noticeServedAt = nowText;
      next.rightsWaived = false;
      next.statementMade = null;
      next.hearingRequestDeadline = state.flags.hearingRight ? period('hearingRequest', now) : null;
      break;
    case 'waiveRights':
      // 第62条: "当事人明确放弃陈述或者申辩权利的除外" — recorded with the party's words.
      need(text(move.note), 'note');
      next.rightsWaived = true;
      break;
    case 'requestHearing': {
      const due = state.hearingRequestDeadline;
      if (!state.flags.hearingRight || due === null) {
        throw invalid('hearingNotAvailable', {
          basis: '行政处罚法 第63条：仅该条所列处罚适用听证',
        });
      }
      // 第64条(一): within 5 working days of the notice.
      if (now > dueOf(due)) throw invalid('hearingRequestLate', { due: due.due, basis: due.basis });
      deadline = due;
      onTime = true;
      next.step = 'hearing';
      next.hearingRequestedAt = nowText;
      next.hearingAt = null;
      if (rules.hearingStopsDecisionClock && state.clockSuspendedAt === null) {
        next.clockSuspendedAt = nowText;
        next.clockSuspendedReason = 'hearing';
      }
      break;
    }
    case 'completeDefence': {
      const statementMade = need(move.statementMade, 'statementMade');
      const due = state.hearingRequestDeadline;
      // The decision may not cut short the party's time to ask for a hearing (第64条(一)), unless waived.
      if (due !== null && !state.rightsWaived && now <= dueOf(due)) {
        throw invalid('hearingWindowOpen', { due: due.due, basis: due.basis });
      }
      next.statementMade = statementMade;
      requireDocuments(state, 'defence', requiredDocuments(next, 'defence'));
      next.step = afterDefence(false);
      break;
    }
    case 'scheduleHearing': {
      const hearingAt = parseInstant(need(move.hearingAt, 'hearingAt'), 'hearingAt');
      requireDocuments(state, 'hearing', ['hearingNotice']);
      // 第64条(二): notified 7 (working, 第85条) days before; the hearing falls after that period ends.
      const earliest = period('hearingNotice', now);
      deadline = earliest;
      if (hearingAt <= dueOf(earliest)) {
        throw invalid('hearingNoticeTooShort', {
          field: 'hearingAt',
          after: earliest.due,
          basis: earliest.basis,
        });
      }
      next.hearingAt = formatShanghai(hearingAt);
      break;
    }
    case 'completeHearing': {
      if (state.hearingAt === null || now < new Date(state.hearingAt)) {
        throw invalid('hearingNotHeld', { hearingAt: state.hearingAt });
      }
      closeStep();
      next.hearingHeld = true;
      if (
        rules.hearingStopsDecisionClock &&
        state.clockSuspendedReason === 'hearing' &&
        state.clockSuspendedAt !== null
      ) {
        next.clockSuspensions = [
          ...state.clockSuspensions,
          { from: state.clockSuspendedAt, to: nowText, reason: 'hearing' },
        ];
        next.clockSuspendedAt = null;
        next.clockSuspendedReason = null;
        next.decisionDeadline = decisionDeadlineOf(next, calendar, rules);
      }
      next.step = afterDefence(true);
      break;
    }
    case 'passLegalReview':
      closeStep();
      next.legalReviewPassed = true;
      next.step = 'decision';
      break;
    case 'failLegalReview':
      // 第58条: "审核未通过的，不得作出决定" — back to investigation; the notice is served again afterwards.
      need(text(move.reason), 'reason');
      next.legalReviewPassed = false;
      next.step = 'investigation';
      break;
    case 'decide': {
      const fine = need(move.fineCents, 'fineCents');
      if (!Number.isSafeInteger(fine) || fine < 0) {
        throw invalid('amountInvalid', { field: 'fineCents', value: fine, expected: 'integer cents ≥ 0' });
      }
      if (legalReviewRequired(state.flags, state.hearingHeld) && !state.legalReviewPassed) {
        throw invalid('legalReviewRequired', {
          basis: '行政处罚法 第58条：未经法制审核不得作出决定',
        });
      }
      closeStep();
      const due = state.decisionDeadline;
      if (due !== null) {
        if (decisionOverdue(state, now)) throw invalid('decisionOverdue', { due: due.due, basis: due.basis });
        deadline = due;
        onTime = true;
      }
      next.step = 'service';
      next.outcome = 'penalty';
      next.decidedAt = nowText;
      next.fineCents = fine;
      next.serviceDeadline = period('service', now);
      break;
    }
    case 'serve': {
      const present = need(move.partyPresent, 'partyPresent');
      closeStep();
      next.step = 'execution';
      next.servedAt = nowText;
      next.partyPresent = present;
      // 第61条: handed over on the spot when present; otherwise within 7 working days. Late service is
      // recorded as late, not refused: the decision still has to reach the party.
      if (!present && state.serviceDeadline !== null) {
        deadline = state.serviceDeadline;
        onTime = now <= dueOf(state.serviceDeadline);
      }
      // 第67条: 15 days from receipt of the decision.
      next.paymentDeadline = (state.fineCents ?? 0) > 0 ? period('payment', now) : null;
      break;
    }
    case 'publishDemolitionNotice':
      requireDocuments(state, 'execution', ['demolitionNotice']);
      next.demolitionNoticeDeadline = period('demolitionNotice', now);
      break;
    case 'demand': {
      requireDocuments(state, 'execution', ['demandNotice']);
      // 行政强制法 第35条: the demand comes after the party failed to perform in time.
      const paymentOverdue = state.paymentDeadline !== null && now > dueOf(state.paymentDeadline);
      const noticeOver =
        state.demolitionNoticeDeadline !== null && now > dueOf(state.demolitionNoticeDeadline);
      if (!paymentOverdue && !noticeOver) {
        const running = state.paymentDeadline ?? state.demolitionNoticeDeadline;
        throw invalid('demandPremature', {
          due: running?.due ?? null,
          basis: '行政强制法 第35条：履行期限届满后方可催告',
        });
      }
      next.demandServedAt = nowText;
      next.demandDeadline = period('demand', now);
      break;
    }
    case 'completeExecution': {
      const outcome = need(move.outcome, 'outcome');
      if (!(EXECUTION_OUTCOMES as readonly string[]).includes(outcome)) {
        throw invalid('outcomeInvalid', {
          field: 'outcome',
          value: outcome,
          expected: EXECUTION_OUTCOMES.join('|'),
        });
      }
      const fine = state.fineCents ?? 0;
      if ((outcome === 'paid' || outcome === 'courtEnforcement') && fine === 0) {
        throw invalid('outcomeInvalid', { field: 'outcome', value: outcome, problem: 'no fine was imposed' });
      }
      if (outcome === 'demolished' && !state.flags.illegalStructure) {
        throw invalid('outcomeInvalid', {
          field: 'outcome',
          value: outcome,
          problem: 'not an illegal structure',
        });
      }
      if (outcome === 'courtEnforcement' || outcome === 'demolished') {
        // 行政强制法 第44条 / 第53条: only when no review or suit was brought within the statutory period.
        if (move.appealPeriodEnded !== true) {
          throw invalid('appealPeriodOpen', {
            field: 'appealPeriodEnded',
            basis: outcome === 'demolished' ? '行政强制法 第44条' : '行政强制法 第53条',
          });
        }
        const demandDue = state.demandDeadline;
        if (demandDue === null || now <= dueOf(demandDue)) {
          throw invalid('demandPeriodRunning', {
            due: demandDue?.due ?? null,
            basis: rules.periods.demand.basis,
          });
        }
      }
      if (outcome === 'demolished') {
        const noticeDue = state.demolitionNoticeDeadline;
        if (noticeDue === null || now <= dueOf(noticeDue)) {
          throw invalid('demolitionNoticeRunning', {
            due: noticeDue?.due ?? null,
            basis: rules.periods.demolitionNotice.basis,
          });
        }
      }
      requireDocuments(state, 'execution', requiredDocuments(state, 'execution', outcome));
      if (outcome === 'paid' && state.paymentDeadline !== null) {
        deadline = state.paymentDeadline;
        onTime = now <= dueOf(state.paymentDeadline);
        next.lateFeeCents = lateFee(fine, daysLate(state.paymentDeadline, now));
      }
      next.executionOutcome = outcome;
      next.step = 'closing';
      break;
    }
    case 'closeCase':
      closeStep();
      next.step = 'archived';
      next.closedAt = nowText;
      break;
  }

  const record: EnforcementRecord = {
    step: state.step,
    move: move.type,
    toStep: next.step,
    actorId: actor.id,
    role: actor.role,
    at: nowText,
    deadline,
    onTime,
    note: text(move.note),
    reason: text(move.reason),
    document,
    attachmentId,
  };
  return { state: next, record };
}
