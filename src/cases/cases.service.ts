/**
 * Use cases of the case loop and the enforcement procedure: open a case from a report (inside intake's
 * transaction), list, map, detail, moves with optimistic versions, "my tasks", and the penalty procedure
 * with its documents. Permission and scope are checked here; a case outside the caller's scope answers
 * exactly like a missing one. Every write is one `audited` transaction: state + projections + flow record +
 * audit entry, or nothing.
 */
import type { Transaction } from 'kysely';
import type { Deps } from '../deps.js';
import type { DB } from '../schema.js';
import { audited, type ActionContext } from '../access/audit.service.js';
import { can, inScope, systemActor, type Actor } from '../access/roles.js';
import { maskPhone } from '../access/users.service.js';
import { conflict, forbidden, invalid, isDomainError, notFound } from '../platform/errors.js';
import type { Deadline } from '../platform/calendar/deadline.js';
import { getOrgUnit } from '../registry/org-units.service.js';
import { getCategory } from '../registry/categories.service.js';
import { linkAttachments, photosOf } from '../intake/photos.service.js';
import type { Photo } from '../intake/photos.js';
import {
  allowedMoves,
  applyMove,
  startCase,
  type ActorFacts,
  type CaseState,
  type CaseStatus,
  type CaseStep,
  type Move,
  type MoveType,
} from './case-loop.js';
import {
  DOCUMENT_NAMES_ZH,
  applyEnforcementMove,
  enforcementMoves,
  missingDocuments,
  requiredDocuments,
  startEnforcement as startProcedure,
  type DocumentKind,
  type EnforcementFlags,
  type EnforcementMove,
  type EnforcementMoveType,
  type EnforcementState,
} from './enforcement.js';
import { pendingEnforcementDeadlines } from './enforcement-alerts.js';
import { createCaseRulesSource, type CaseRulesSource } from './rules-source.js';
import type { AreaGrade, TimeLimitLookup } from './time-limits.js';
import {
  appendFlow,
  enforcementFlow,
  findCase,
  findEnforcement,
  insertCase,
  insertEnforcement,
  listCases as storeListCases,
  listFlows,
  listTasks,
  loopFlow,
  mapCases as storeMapCases,
  reportsOfCase,
  updateCase,
  updateEnforcement,
  type CaseCursor,
  type CaseReport,
  type StoredCase,
  type StoredFlow,
} from './cases.store.js';

type Tx = Transaction<DB>;

/** Reads of org units and categories that any case actor needs, whatever its registry permissions. */
const registryReader = systemActor('cases');

// ---------------------------------------------------------------------------------------------------------
// The rules source of a database
// ---------------------------------------------------------------------------------------------------------

// One rules source per database, shared by every case service, intake's receipts and the app's routes, so
// that all share one cache and its invalidation. Keyed by the database, so separate test databases never
// share one. Callers read `limits()` before their transaction: on SQLite the rules source's read would wait
// forever on the connection the transaction holds.
const rulesByDatabase = new WeakMap<object, CaseRulesSource>();

/** The rules source of this database (made on first use). */
export function caseRulesOf(deps: Pick<Deps, 'database'>): CaseRulesSource {
  let source = rulesByDatabase.get(deps.database);
  if (!source) {
    source = createCaseRulesSource(deps);
    rulesByDatabase.set(deps.database, source);
  }
  return source;
}

// ---------------------------------------------------------------------------------------------------------
// Opening a case from a report (intake's transaction)
// ---------------------------------------------------------------------------------------------------------

/** Channels whose reporter must be told the outcome (上海市城市管理行政执法条例 第26条). */
export const REPORTER_CHANNELS: readonly string[] = ['resident', 'hotline12345', 'open311', 'dualReport'];

export interface CaseFromReport {
  id: string;
  code: string;
  channel: string;
  categoryKey: string | null;
  parentCategoryKey?: string | null;
  areaGrade?: AreaGrade | null;
  receivedAt: Date;
  /** The report's `extra`; `underWay: true` there starts the 2-hour on-site rule. */
  extra?: Record<string, unknown> | null;
  point: { lng: number; lat: number } | null;
  /** The unit whose subtree holds the case: the routed unit's, or the triage unit's path. */
  unitPath: string;
  /** The unit routing proposed; null when the report went to a triage queue. */
  routedUnitId: string | null;
}

/**
 * Opens the case of a report inside the caller's transaction: the loop's first state (collect, with its
 * acceptance deadline and, for a reporter's channel, the 第26条 deadline) and its projections. No reads:
 * `limits` comes from `caseRulesOf(deps).limits()`, read before the transaction.
 */
export async function openCaseForReport(
  tx: Tx,
  limits: TimeLimitLookup,
  input: CaseFromReport,
): Promise<CaseState> {
  const state = startCase(
    {
      id: input.id,
      channel: input.channel,
      categoryKey: input.categoryKey,
      parentCategoryKey: input.parentCategoryKey ?? null,
      areaGrade: input.areaGrade ?? null,
      underWay: input.extra?.underWay === true,
      hasReporter: REPORTER_CHANNELS.includes(input.channel),
      receivedAt: input.receivedAt,
    },
    limits,
  );
  await insertCase(
    tx,
    state,
    {
      code: input.code,
      lng: input.point?.lng ?? null,
      lat: input.point?.lat ?? null,
      unitPath: input.unitPath,
      routedUnitId: input.routedUnitId,
    },
    input.receivedAt.toISOString(),
  );
  return state;
}

// ---------------------------------------------------------------------------------------------------------
// Scope and the actor's facts
// ---------------------------------------------------------------------------------------------------------

const visible = (actor: Actor, c: StoredCase): boolean =>
  (c.unitPath !== null && inScope(actor, c.unitPath)) ||
  (c.handlingUnitPath !== null && inScope(actor, c.handlingUnitPath));

/** The case if the actor may see it; one outside its scope answers exactly like a missing one. */
async function visibleCase(deps: Pick<Deps, 'database'>, actor: Actor, id: string): Promise<StoredCase> {
  if (!can(actor, 'cases:read')) throw forbidden();
  const c = await findCase(deps.database.db, id);
  if (!c || !visible(actor, c)) throw notFound('case', id);
  return c;
}

/** The path of the actor's own unit (its scope may be wider: a squad's is its subdistrict). */
async function ownUnitPath(deps: Pick<Deps, 'database'>, actor: Actor): Promise<string> {
  if (actor.unitId === '') return actor.unitPath;
  return (await getOrgUnit(deps, registryReader, actor.unitId)).path;
}

/**
 * The two unit facts the loop's rules need. Responsible: the actor's own unit is, or is above, the unit
 * handling the case. Dispatching: the actor's scope holds the case (a squad's people hold their subdistrict).
 */
function factsOf(actor: Actor, ownPath: string, c: StoredCase): ActorFacts {
  return {
    role: actor.role,
    isResponsibleUnit: c.handlingUnitPath !== null && c.handlingUnitPath.startsWith(ownPath),
    isDispatchingUnit: c.unitPath !== null && inScope(actor, c.unitPath),
  };
}

// ---------------------------------------------------------------------------------------------------------
// Views
// ---------------------------------------------------------------------------------------------------------

export type Urgency = 'overdue' | 'dueSoon' | 'later' | 'none';
/** "Due soon" on the map: within 4 hours. */
export const DUE_SOON_MS = 4 * 3_600_000;

/** How urgent a live case is: overdue, due within 4 h, later, or no running deadline (none, suspended). */
export function urgencyOf(status: CaseStatus, dueAt: string | null, now: Date): Urgency {
  if (dueAt === null || status !== 'active') return 'none';
  const left = Date.parse(dueAt) - now.getTime();
  return left < 0 ? 'overdue' : left <= DUE_SOON_MS ? 'dueSoon' : 'later';
}

export interface CaseSummaryView {
  id: string;
  code: string;
  status: CaseStatus;
  step: CaseStep;
  channel: string;
  categoryKey: string | null;
  responsibleUnitId: string | null;
  handlingUnitId: string | null;
  location: { lng: number; lat: number } | null;
  openedAt: string;
  updatedAt: string;
  stepStartedAt: string;
  dueAt: string | null;
  reporterDueAt: string | null;
  urgency: Urgency;
  escalationLevel: number;
  version: number;
}

function summary(c: StoredCase, now: Date): CaseSummaryView {
  const s = c.state;
  return {
    id: c.id,
    code: c.code,
    status: s.status,
    step: s.step,
    channel: s.channel,
    categoryKey: s.categoryKey,
    responsibleUnitId: c.responsibleUnitId,
    handlingUnitId: s.handlingUnitId,
    location: c.lng === null || c.lat === null ? null : { lng: c.lng, lat: c.lat },
    openedAt: c.openedAt,
    updatedAt: c.updatedAt,
    stepStartedAt: s.stepStartedAt,
    dueAt: c.dueAt,
    reporterDueAt: c.reporterDueAt,
    urgency: urgencyOf(s.status, c.dueAt, now),
    escalationLevel: c.escalationLevel,
    version: s.version,
  };
}

export interface CaseReportView extends Omit<CaseReport, 'reporterPhone'> {
  reporterPhone: string | null;
  photos: Photo[];
}

export interface CaseDetail extends CaseSummaryView {
  parentCategoryKey: string | null;
  areaGrade: AreaGrade | null;
  underWay: boolean;
  receivedAt: string;
  /** The current step's deadline with its rule and legal basis. */
  deadline: Deadline | null;
  /** 第26条: when the reporter must be told, with its basis; informedAt once told. */
  reporterDeadline: Deadline | null;
  reporterInformedAt: string | null;
  pendingPostpone: CaseState['pendingPostpone'];
  suspendedAt: string | null;
  closedAt: string | null;
  counts: { dispatch: number; rework: number; return: number; postpone: number; reopen: number };
  timeline: StoredFlow[];
  /** Attachments of the moves and documents (the reports' photos are with each report). */
  attachments: Photo[];
  reports: CaseReportView[];
  /** The moves the signed-in actor may make now. */
  allowedMoves: MoveType[];
  enforcement: { step: string; version: number } | null;
}

// ---------------------------------------------------------------------------------------------------------
// Reads
// ---------------------------------------------------------------------------------------------------------

export interface CaseQuery {
  status?: CaseStatus[];
  step?: CaseStep[];
  responsibleUnitId?: string;
  handlingUnitId?: string;
  categoryKey?: string;
  channel?: string;
  overdue?: boolean;
  /** Opened at or after / before, ISO instants with a zone. */
  from?: string;
  to?: string;
  cursor?: string;
  limit?: number;
}

const encodeCursor = (c: CaseCursor): string =>
  Buffer.from(`${c.openedAt}|${c.id}`, 'utf8').toString('base64url');
function decodeCursor(s: string): CaseCursor {
  const m = /^(\d{4}-\d{2}-\d{2}T[\d:.]+Z)\|([\w-]{1,64})$/.exec(
    Buffer.from(s, 'base64url').toString('utf8'),
  );
  if (!m) throw invalid('cursorInvalid', { field: 'cursor' });
  return { openedAt: m[1] as string, id: m[2] as string };
}

/** An instant of a query parameter: ISO 8601 with a zone, as UTC ISO. */
function instantParam(field: string, v: string | undefined): string | undefined {
  if (v === undefined) return undefined;
  if (
    !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(v) ||
    Number.isNaN(Date.parse(v))
  )
    throw invalid('instantFormat', { field, value: v });
  return new Date(v).toISOString();
}

const scopePrefix = (actor: Actor) => (can(actor, 'scope:district') ? {} : { pathPrefix: actor.unitPath });

/** Cases in the actor's scope, newest first, filtered; `nextCursor` continues the list. */
export async function listCases(
  deps: Pick<Deps, 'database' | 'clock'>,
  actor: Actor,
  q: CaseQuery = {},
): Promise<{ items: CaseSummaryView[]; nextCursor: string | null }> {
  if (!can(actor, 'cases:read')) throw forbidden();
  const now = deps.clock();
  const limit = Math.min(q.limit ?? 50, 200);
  const openedFrom = instantParam('from', q.from);
  const openedTo = instantParam('to', q.to);
  const rows = await storeListCases(deps.database.db, {
    ...scopePrefix(actor),
    ...(q.status ? { status: q.status } : {}),
    ...(q.step ? { step: q.step } : {}),
    ...(q.responsibleUnitId ? { responsibleUnitId: q.responsibleUnitId } : {}),
    ...(q.handlingUnitId ? { handlingUnitId: q.handlingUnitId } : {}),
    ...(q.categoryKey ? { categoryKey: q.categoryKey } : {}),
    ...(q.channel ? { channel: q.channel } : {}),
    ...(q.overdue === true ? { overdueAt: now.toISOString() } : {}),
    ...(openedFrom ? { openedFrom } : {}),
    ...(openedTo ? { openedTo } : {}),
    ...(q.cursor ? { after: decodeCursor(q.cursor) } : {}),
    limit,
  });
  const last = rows.at(-1);
  return {
    items: rows.map((c) => summary(c, now)),
    nextCursor: rows.length === limit && last ? encodeCursor({ openedAt: last.openedAt, id: last.id }) : null,
  };
}

export interface MapFeature {
  type: 'Feature';
  geometry: { type: 'Point'; coordinates: [number, number] };
  properties: {
    id: string;
    code: string;
    status: CaseStatus;
    step: CaseStep;
    categoryKey: string | null;
    dueAt: string | null;
    urgency: Urgency;
  };
}

/** Live cases in the actor's scope inside a box, most urgent first, as GeoJSON, at most `limit`. */
export async function caseMap(
  deps: Pick<Deps, 'database' | 'clock'>,
  actor: Actor,
  q: { bbox: [number, number, number, number]; limit?: number },
): Promise<{ type: 'FeatureCollection'; features: MapFeature[]; truncated: boolean }> {
  if (!can(actor, 'cases:read')) throw forbidden();
  const [minLng, minLat, maxLng, maxLat] = q.bbox;
  if (!(minLng <= maxLng && minLat <= maxLat))
    throw invalid('bboxInvalid', { field: 'bbox', value: q.bbox.join(',') });
  const limit = Math.min(q.limit ?? 2000, 5000);
  const now = deps.clock();
  const rows = await storeMapCases(deps.database.db, {
    minLng,
    minLat,
    maxLng,
    maxLat,
    ...scopePrefix(actor),
    limit,
  });
  return {
    type: 'FeatureCollection',
    features: rows.map((r) => ({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [r.lng, r.lat] },
      properties: {
        id: r.id,
        code: r.code,
        status: r.status,
        step: r.step,
        categoryKey: r.categoryKey,
        dueAt: r.dueAt,
        urgency: urgencyOf(r.status, r.dueAt, now),
      },
    })),
    truncated: rows.length === limit,
  };
}

/**
 * One case with its timeline, deadlines and their basis, attachments, reports (reporter phones masked
 * except for roles that triage and call back) and the moves the actor may make now.
 */
export async function getCase(
  deps: Pick<Deps, 'database' | 'clock'>,
  actor: Actor,
  id: string,
): Promise<CaseDetail> {
  const c = await visibleCase(deps, actor, id);
  return detail(deps, actor, c);
}

async function detail(
  deps: Pick<Deps, 'database' | 'clock'>,
  actor: Actor,
  c: StoredCase,
): Promise<CaseDetail> {
  const db = deps.database.db;
  const [flows, reports, attachments, enforcement, ownPath] = await Promise.all([
    listFlows(db, c.id),
    reportsOfCase(db, c.id),
    photosOf(db, { caseId: c.id }),
    findEnforcement(db, c.id),
    ownUnitPath(deps, actor),
  ]);
  const fullPhones = can(actor, 'reports:triage');
  const s = c.state;
  return {
    ...summary(c, deps.clock()),
    parentCategoryKey: s.parentCategoryKey,
    areaGrade: s.areaGrade,
    underWay: s.underWay,
    receivedAt: s.receivedAt,
    deadline: s.deadline,
    reporterDeadline: s.reporterDeadline,
    reporterInformedAt: s.reporterInformedAt,
    pendingPostpone: s.pendingPostpone,
    suspendedAt: s.suspendedAt,
    closedAt: s.closedAt,
    counts: {
      dispatch: s.dispatchCount,
      rework: s.reworkCount,
      return: s.returnCount,
      postpone: s.postponeCount,
      reopen: s.reopenCount,
    },
    timeline: flows,
    attachments,
    reports: await Promise.all(
      reports.map(async (r) => ({
        ...r,
        reporterPhone: fullPhones ? r.reporterPhone : maskPhone(r.reporterPhone),
        photos: await photosOf(db, { reportId: r.id }),
      })),
    ),
    allowedMoves: allowedMoves(s, factsOf(actor, ownPath, c)),
    enforcement: enforcement ? { step: enforcement.state.step, version: enforcement.state.version } : null,
  };
}

/**
 * The cases whose current step awaits the actor: the desk's steps (collect, open, dispatch, close) for a
 * dispatcher or squad leader, the on-site steps (check, verify) for an officer or squad leader, both in
 * their scope; and the handle step of cases handled by the actor's own unit or a unit below it. Most
 * urgent first.
 */
export async function myTasks(
  deps: Pick<Deps, 'database' | 'clock'>,
  actor: Actor,
  limit = 200,
): Promise<CaseSummaryView[]> {
  if (!can(actor, 'cases:read')) throw forbidden();
  const role = actor.role;
  const scopeSteps: CaseStep[] = [];
  if (role === 'dispatcher' || role === 'squadLeader')
    scopeSteps.push('collect', 'open', 'dispatch', 'close');
  if (role === 'officer' || role === 'squadLeader') scopeSteps.push('onSiteCheck', 'verify');
  const handles = role === 'officer' || role === 'workstationStaff' || role === 'departmentLiaison';
  const rows = await listTasks(deps.database.db, {
    ...scopePrefix(actor),
    scopeSteps,
    handlingPrefix: handles || role === 'squadLeader' ? await ownUnitPath(deps, actor) : null,
    limit: Math.min(limit, 500),
  });
  const now = deps.clock();
  return rows.map((c) => summary(c, now));
}

// ---------------------------------------------------------------------------------------------------------
// Moves
// ---------------------------------------------------------------------------------------------------------

/** A move as the API takes it: the loop's fields, without the parent category (the registry knows it). */
export type MoveInput = Omit<Move, 'parentCategoryKey'>;

const versionConflict = (c: StoredCase | undefined, expectedVersion: number) =>
  conflict('caseVersionConflict', {
    entity: 'case',
    expectedVersion,
    currentVersion: c?.state.version ?? null,
    current: c?.state ?? null,
  });

async function unitPathOf(deps: Pick<Deps, 'database'>, unitId: string, field: string): Promise<string> {
  try {
    return (await getOrgUnit(deps, registryReader, unitId)).path;
  } catch (e) {
    if (isDomainError(e) && e.code === 'NotFound')
      throw invalid('unknownReference', { field, value: unitId });
    throw e;
  }
}

/**
 * Makes one move of the loop on a case the actor can see. `expectedVersion` is the version the actor saw:
 * when the case moved since (or a concurrent move commits first), Conflict with the current state and
 * nothing written. The pure rules refuse illegal moves, actors and missing fields (4xx, nothing written);
 * attachments must exist and not belong elsewhere, and are linked to the case. Answers the detail.
 */
export async function moveCase(
  deps: Deps,
  rules: CaseRulesSource,
  ctx: ActionContext,
  caseId: string,
  input: MoveInput,
  expectedVersion: number,
): Promise<CaseDetail> {
  const actor = ctx.actor;
  const c = await visibleCase(deps, actor, caseId);
  if (c.state.version !== expectedVersion) throw versionConflict(c, expectedVersion);
  const ownPath = await ownUnitPath(deps, actor);
  const facts = factsOf(actor, ownPath, c);
  const move: Move = { ...input };
  let handlingUnitPath = c.handlingUnitPath;
  // References are checked only for a move the actor may make, so an illegal move is refused as such.
  if (allowedMoves(c.state, facts).includes(input.type)) {
    if (input.categoryKey !== undefined && (input.type === 'accept' || input.type === 'open')) {
      try {
        const category = await getCategory(deps, registryReader, input.categoryKey);
        if (!category.active)
          throw invalid('unknownReference', { field: 'categoryKey', value: input.categoryKey });
        move.parentCategoryKey = category.parentKey;
      } catch (e) {
        if (isDomainError(e) && e.code === 'NotFound')
          throw invalid('unknownReference', { field: 'categoryKey', value: input.categoryKey });
        throw e;
      }
    }
    if ((input.type === 'dispatch' || input.type === 'dispatchWithin') && input.targetUnitId) {
      const path = await unitPathOf(deps, input.targetUnitId, 'targetUnitId');
      // 二级派遣 stays inside the responsible unit: the sub-dispatcher sends it to its own unit or below.
      if (input.type === 'dispatchWithin' && !path.startsWith(ownPath))
        throw invalid('targetUnitOutside', { field: 'targetUnitId', value: input.targetUnitId });
      handlingUnitPath = path;
    }
  }
  const limits = await rules.limits();
  const now = deps.clock();
  const moved = applyMove(c.state, move, { ...facts, id: actor.id, unitId: actor.unitId }, now, limits);
  if (moved.state.handlingUnitId === null) handlingUnitPath = null;
  await audited(deps, ctx, async (tx, audit) => {
    if (
      !(await updateCase(tx, expectedVersion, c, moved.state, {
        handlingUnitPath,
        updatedAt: now.toISOString(),
      }))
    )
      throw versionConflict(await findCase(tx, caseId), expectedVersion);
    if (move.attachments && move.attachments.length > 0)
      await linkAttachments(tx, move.attachments, { caseId }, 'attachments');
    const detailOf: Record<string, unknown> = {};
    if (move.extension) detailOf.extension = move.extension;
    if (move.categoryKey !== undefined) detailOf.categoryKey = move.categoryKey;
    if (move.onSiteCheck !== undefined) detailOf.onSiteCheck = move.onSiteCheck;
    const seq = await appendFlow(
      tx,
      caseId,
      loopFlow(moved.flow, actor.name, Object.keys(detailOf).length > 0 ? detailOf : null),
    );
    await audit({
      action: `case.${move.type}`,
      entity: 'case',
      entityId: caseId,
      before: { status: c.state.status, step: c.state.step, version: expectedVersion },
      after: {
        status: moved.state.status,
        step: moved.state.step,
        version: moved.state.version,
        flowSeq: seq,
        reason: moved.flow.reason,
        targetUnitId: moved.flow.targetUnitId,
        attachments: moved.flow.attachments,
        onTime: moved.flow.onTime,
      },
    });
  });
  return getCase(deps, actor, caseId);
}

// ---------------------------------------------------------------------------------------------------------
// Enforcement
// ---------------------------------------------------------------------------------------------------------

/** Steps after 立案 and before the end: the case was opened and still runs. */
const OPENED_STEPS: readonly CaseStep[] = ['dispatch', 'handle', 'verify', 'close'];

/** The nearest legal deadline the procedure still has to meet (UTC ISO), for the sweep and lists. */
export function enforcementDueAt(s: EnforcementState): string | null {
  const dues = pendingEnforcementDeadlines(s).map((p) => Date.parse(p.deadline.due));
  return dues.length === 0 ? null : new Date(Math.min(...dues)).toISOString();
}

export interface EnforcementView {
  caseId: string;
  state: EnforcementState;
  version: number;
  dueAt: string | null;
  /** Documents the current step needs, and those still missing (a step cannot close without them). */
  requiredDocuments: { kind: DocumentKind; name: string }[];
  missingDocuments: DocumentKind[];
  allowedMoves: EnforcementMoveType[];
}

function enforcementView(actor: Actor, state: EnforcementState, dueAt: string | null): EnforcementView {
  return {
    caseId: state.caseId,
    state,
    version: state.version,
    dueAt,
    requiredDocuments: requiredDocuments(state, state.step).map((kind) => ({
      kind,
      name: DOCUMENT_NAMES_ZH[kind],
    })),
    missingDocuments: missingDocuments(state, state.step),
    allowedMoves: enforcementMoves(state, actor),
  };
}

/** The penalty procedure of a case the actor can see; NotFound when none was started. */
export async function getEnforcement(
  deps: Pick<Deps, 'database'>,
  actor: Actor,
  caseId: string,
): Promise<EnforcementView> {
  await visibleCase(deps, actor, caseId);
  const e = await findEnforcement(deps.database.db, caseId);
  if (!e) throw notFound('enforcement', caseId);
  return enforcementView(actor, e.state, e.dueAt);
}

/**
 * Starts the penalty procedure (waiting for its filing approval) on an opened case: one per case
 * (Conflict when it exists). Officers, squad leaders and the bureau's leaders may start it.
 */
export async function startEnforcement(
  deps: Deps,
  ctx: ActionContext,
  caseId: string,
  flags: Partial<EnforcementFlags> = {},
): Promise<EnforcementView> {
  const actor = ctx.actor;
  if (!can(actor, 'enforcement:act') && !can(actor, 'cases:approve')) throw forbidden();
  const c = await visibleCase(deps, actor, caseId);
  if (c.state.status !== 'active' || !OPENED_STEPS.includes(c.state.step))
    throw invalid('caseNotOpened', { field: 'caseId', step: c.state.step, status: c.state.status });
  const state = startProcedure(caseId, flags);
  const at = deps.clock();
  await audited(deps, ctx, async (tx, audit) => {
    if (await findEnforcement(tx, caseId))
      throw conflict('enforcementExists', { entity: 'enforcement', caseId });
    await insertEnforcement(tx, state, enforcementDueAt(state), at.toISOString());
    await appendFlow(tx, caseId, {
      track: 'enforcement',
      step: state.step,
      move: 'start',
      toStep: state.step,
      actorId: actor.id,
      actorName: actor.name,
      role: actor.role,
      unitId: actor.unitId,
      startedAt: at.toISOString(),
      endedAt: at.toISOString(),
      deadline: null,
      onTime: null,
      note: null,
      reason: null,
      targetUnitId: null,
      attachments: [],
      detail: { flags: state.flags },
    });
    await audit({
      action: 'enforcement.start',
      entity: 'case',
      entityId: caseId,
      after: { step: state.step, flags: state.flags },
    });
  });
  return enforcementView(actor, state, enforcementDueAt(state));
}

/**
 * One move of the procedure, with the same optimistic version as the loop. A document's attachment must
 * exist and not belong elsewhere; it is linked to the case. The pure rules refuse a step that closes while
 * one of its documents is missing.
 */
export async function moveEnforcement(
  deps: Deps,
  rules: CaseRulesSource,
  ctx: ActionContext,
  caseId: string,
  move: EnforcementMove,
  expectedVersion: number,
): Promise<EnforcementView> {
  const actor = ctx.actor;
  await visibleCase(deps, actor, caseId);
  const current = await findEnforcement(deps.database.db, caseId);
  if (!current) throw notFound('enforcement', caseId);
  const stale = (e: EnforcementState | null) =>
    conflict('enforcementVersionConflict', {
      entity: 'enforcement',
      expectedVersion,
      currentVersion: e?.version ?? null,
      current: e,
    });
  if (current.state.version !== expectedVersion) throw stale(current.state);
  const limits = await rules.limits();
  const now = deps.clock();
  const { state, record } = applyEnforcementMove(
    current.state,
    move,
    { id: actor.id, role: actor.role },
    now,
    limits.calendar,
  );
  const dueAt = enforcementDueAt(state);
  await audited(deps, ctx, async (tx, audit) => {
    if (!(await updateEnforcement(tx, expectedVersion, state, dueAt, now.toISOString())))
      throw stale((await findEnforcement(tx, caseId))?.state ?? null);
    if (record.attachmentId !== null)
      await linkAttachments(tx, [record.attachmentId], { caseId }, 'attachmentId');
    const seq = await appendFlow(tx, caseId, enforcementFlow(record, actor.name, actor.unitId));
    await audit({
      action: `enforcement.${move.type}`,
      entity: 'case',
      entityId: caseId,
      before: { step: current.state.step, version: expectedVersion },
      after: {
        step: state.step,
        version: state.version,
        flowSeq: seq,
        document: record.document,
        attachmentId: record.attachmentId,
        outcome: state.outcome,
      },
    });
  });
  return enforcementView(actor, state, dueAt);
}
