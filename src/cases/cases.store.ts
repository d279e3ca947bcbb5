/**
 * Every query of the case loop: case_file with its JSON CaseState and the columns projected from it,
 * case_flow (one row per move, numbered per case), case_enforcement (versioned), and the reads the case
 * pages need (list, map, reports, attachments). Maps rows to domain objects; the service never sees a row.
 */
import type { Kysely, Selectable, Transaction } from 'kysely';
import type { DB } from '../schema.js';
import { newId } from '../platform/ids.js';
import { insertRow } from '../platform/db/statements.js';
import type { CaseFileTable } from '../intake/intake.tables.js';
import type { CaseState, CaseStatus, CaseStep, FlowRecord } from './case-loop.js';
import type { EnforcementRecord, EnforcementState } from './enforcement.js';
import type { Deadline } from '../platform/calendar/deadline.js';
import type { Role } from '../access/roles.js';

type Q = Kysely<DB> | Transaction<DB>;

/** The statuses of a case that still awaits work: the map and the overdue filter show only these. */
export const LIVE_STATUSES: readonly CaseStatus[] = ['active', 'suspended'];

const iso = (instant: string | null | undefined): string | null =>
  instant === null || instant === undefined ? null : new Date(instant).toISOString();

/** A case as stored: its loop state and the facts kept beside it (place, scope, code). */
export interface StoredCase {
  id: string;
  code: string;
  state: CaseState;
  lng: number | null;
  lat: number | null;
  /** The unit whose subtree holds the case (the desk's scope): the routed or triage unit's path. */
  unitPath: string | null;
  /** The dispatched unit, else the unit routing proposed (null: the case waits in triage). */
  responsibleUnitId: string | null;
  handlingUnitPath: string | null;
  openedAt: string;
  updatedAt: string;
  dueAt: string | null;
  reporterDueAt: string | null;
  overdueSince: string | null;
  escalationLevel: number;
}

/** Where a case lives, fixed when it is opened (intake's routing answer). */
export interface CasePlacement {
  code: string;
  lng: number | null;
  lat: number | null;
  unitPath: string | null;
  /** The unit routing proposed; null when the report went to a triage queue. */
  routedUnitId: string | null;
}

/** The columns projected from a state (queries filter and sort on them; `state` stays the truth). */
export function projection(state: CaseState) {
  const ended = state.status === 'rejected' || state.status === 'declined' || state.status === 'voided';
  return {
    status: state.status,
    step: state.step,
    channel: state.channel,
    category_key: state.categoryKey,
    parent_category_key: state.parentCategoryKey,
    area_grade: state.areaGrade,
    under_way: state.underWay ? 1 : 0,
    handling_unit_id: state.handlingUnitId,
    step_started_at: iso(state.stepStartedAt),
    due_at: iso(state.deadline?.due),
    reporter_due_at: state.reporterInformedAt === null ? iso(state.reporterDeadline?.due) : null,
    // Intake and Open311 read closed_at as "nothing more will be done": a rejected, declined or voided
    // case ended when it entered its last step.
    closed_at: iso(state.closedAt) ?? (ended ? iso(state.stepStartedAt) : null),
    version: state.version,
    state: JSON.stringify(state),
  };
}

/** Inserts a new case from its first state; `at` is the UTC instant of opening. */
export async function insertCase(db: Q, state: CaseState, place: CasePlacement, at: string): Promise<void> {
  // A case for most reports: compiled once (statements.ts).
  await insertRow(db, 'case_file', {
    id: state.id,
    code: place.code,
    lng: place.lng,
    lat: place.lat,
    responsible_unit_id: state.responsibleUnitId ?? place.routedUnitId,
    unit_path: place.unitPath,
    handling_unit_path: null,
    opened_at: at,
    created_at: at,
    updated_at: at,
    ...projection(state),
  });
}

type CaseRow = Selectable<CaseFileTable>;

function toCase(r: CaseRow): StoredCase {
  const parsed = r.state === null ? null : (JSON.parse(r.state) as CaseState);
  return {
    id: r.id,
    code: r.code,
    state: parsed === null ? legacyState(r) : reconcile(parsed, r),
    lng: r.lng === null ? null : Number(r.lng),
    lat: r.lat === null ? null : Number(r.lat),
    unitPath: r.unit_path,
    responsibleUnitId: r.responsible_unit_id,
    handlingUnitPath: r.handling_unit_path,
    openedAt: r.opened_at,
    updatedAt: r.updated_at,
    dueAt: r.due_at,
    reporterDueAt: r.reporter_due_at,
    overdueSince: r.overdue_since,
    escalationLevel: Number(r.escalation_level),
  };
}

/**
 * The row's version is the lock, and intake's triage (assignReport) may have reclassified the case through
 * the columns alone: the columns win over the JSON for both.
 */
function reconcile(s: CaseState, r: CaseRow): CaseState {
  const version = Number(r.version);
  if (version === s.version && r.category_key === s.categoryKey) return s;
  const recategorised = r.category_key !== s.categoryKey;
  return {
    ...s,
    version,
    categoryKey: r.category_key,
    parentCategoryKey: recategorised ? null : s.parentCategoryKey,
  };
}

/**
 * A row written before the loop existed (or by a writer that knows only the columns): a case waiting in
 * `collect` with no deadline, so that it can be moved on rather than stay stuck.
 */
function legacyState(r: CaseRow): CaseState {
  const status = (['active', 'suspended', 'closed', 'rejected', 'declined', 'voided'] as const).find(
    (s) => s === r.status,
  );
  return {
    id: r.id,
    status: status ?? 'active',
    step: (r.step as CaseStep | null) ?? 'collect',
    channel: r.channel ?? 'unknown',
    categoryKey: r.category_key,
    parentCategoryKey: r.parent_category_key,
    areaGrade: null,
    underWay: Number(r.under_way) === 1,
    receivedAt: r.opened_at,
    responsibleUnitId: null,
    handlingUnitId: null,
    stepStartedAt: r.step_started_at ?? r.opened_at,
    deadline: null,
    reporterDeadline: null,
    reporterInformedAt: null,
    pendingPostpone: null,
    suspendedAt: null,
    closedAt: r.closed_at,
    dispatchCount: 0,
    reworkCount: 0,
    returnCount: 0,
    postponeCount: 0,
    reopenCount: 0,
    version: Number(r.version),
  };
}

export async function findCase(db: Q, id: string): Promise<StoredCase | undefined> {
  const r = await db.selectFrom('case_file').selectAll().where('id', '=', id).executeTakeFirst();
  return r && toCase(r);
}

/**
 * Writes a moved state if the row still has `expectedVersion`; false when someone else moved it first
 * (nothing is written then). The overdue mark and escalation belong to a deadline: a new deadline clears
 * them. `responsibleUnitId` falls back to the unit routing proposed while the case is not dispatched.
 */
export async function updateCase(
  db: Q,
  expectedVersion: number,
  before: StoredCase,
  state: CaseState,
  f: { handlingUnitPath: string | null; updatedAt: string },
): Promise<boolean> {
  const p = projection(state);
  const r = await db
    .updateTable('case_file')
    .set({
      ...p,
      responsible_unit_id: state.responsibleUnitId ?? before.responsibleUnitId,
      handling_unit_path: f.handlingUnitPath,
      updated_at: f.updatedAt,
      ...(p.due_at === before.dueAt ? {} : { overdue_since: null, escalation_level: 0 }),
    })
    .where('id', '=', state.id)
    .where('version', '=', expectedVersion)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

// ---------------------------------------------------------------------------------------------------------
// Flow records
// ---------------------------------------------------------------------------------------------------------

export type FlowTrack = 'loop' | 'enforcement';

/** A flow record as stored, with its place in the case's sequence. */
export interface StoredFlow {
  seq: number;
  track: FlowTrack;
  step: string;
  move: string;
  toStep: string;
  actorId: string;
  actorName: string | null;
  role: Role | null;
  unitId: string | null;
  startedAt: string;
  endedAt: string;
  deadline: Deadline | null;
  onTime: boolean | null;
  note: string | null;
  reason: string | null;
  targetUnitId: string | null;
  attachments: string[];
  detail: Record<string, unknown> | null;
}

/**
 * Appends one flow record with the next number of the case. Called after the case row was updated in the
 * same transaction: that update holds the row, so two moves of one case never pick the same number.
 */
export async function appendFlow(db: Q, caseId: string, f: Omit<StoredFlow, 'seq'>): Promise<number> {
  const last = await db
    .selectFrom('case_flow')
    .select((eb) => eb.fn.max<number | null>('seq').as('seq'))
    .where('case_id', '=', caseId)
    .executeTakeFirst();
  const seq = Number(last?.seq ?? 0) + 1;
  await db
    .insertInto('case_flow')
    .values({
      id: newId(),
      case_id: caseId,
      seq,
      track: f.track,
      step: f.step,
      move: f.move,
      to_step: f.toStep,
      actor_id: f.actorId,
      actor_name: f.actorName,
      role: f.role,
      unit_id: f.unitId,
      started_at: f.startedAt,
      ended_at: f.endedAt,
      deadline: f.deadline === null ? null : JSON.stringify(f.deadline),
      on_time: f.onTime === null ? null : f.onTime ? 1 : 0,
      note: f.note,
      reason: f.reason,
      target_unit_id: f.targetUnitId,
      attachments: JSON.stringify(f.attachments),
      detail: f.detail === null ? null : JSON.stringify(f.detail),
    })
    .execute();
  return seq;
}

/** The loop's flow record in the stored shape. */
export const loopFlow = (
  f: FlowRecord,
  actorName: string | null,
  detail: Record<string, unknown> | null,
) => ({
  track: 'loop' as const,
  step: f.step,
  move: f.move,
  toStep: f.toStep,
  actorId: f.actorId,
  actorName,
  role: f.role,
  unitId: f.unitId,
  startedAt: f.startedAt,
  endedAt: f.endedAt,
  deadline: f.deadline,
  onTime: f.onTime,
  note: f.note,
  reason: f.reason,
  targetUnitId: f.targetUnitId,
  attachments: f.attachments,
  detail,
});

/** The enforcement procedure's record in the stored shape (a document is its attachment). */
export const enforcementFlow = (r: EnforcementRecord, actorName: string | null, unitId: string) => ({
  track: 'enforcement' as const,
  step: r.step,
  move: r.move,
  toStep: r.toStep,
  actorId: r.actorId,
  actorName,
  role: r.role,
  unitId,
  startedAt: r.at,
  endedAt: r.at,
  deadline: r.deadline,
  onTime: r.onTime,
  note: r.note,
  reason: r.reason,
  targetUnitId: null,
  attachments: r.attachmentId === null ? [] : [r.attachmentId],
  detail: r.document === null ? null : { document: r.document },
});

/** The flow records of a case in order. */
export async function listFlows(db: Q, caseId: string): Promise<StoredFlow[]> {
  const rows = await db
    .selectFrom('case_flow')
    .selectAll()
    .where('case_id', '=', caseId)
    .orderBy('seq')
    .execute();
  return rows.map((r) => ({
    seq: Number(r.seq),
    track: r.track as FlowTrack,
    step: r.step,
    move: r.move,
    toStep: r.to_step,
    actorId: r.actor_id,
    actorName: r.actor_name,
    role: r.role as Role | null,
    unitId: r.unit_id,
    startedAt: r.started_at,
    endedAt: r.ended_at,
    deadline: r.deadline === null ? null : (JSON.parse(r.deadline) as Deadline),
    onTime: r.on_time === null ? null : Number(r.on_time) === 1,
    note: r.note,
    reason: r.reason,
    targetUnitId: r.target_unit_id,
    attachments: JSON.parse(r.attachments) as string[],
    detail: r.detail === null ? null : (JSON.parse(r.detail) as Record<string, unknown>),
  }));
}

// ---------------------------------------------------------------------------------------------------------
// Lists and the map
// ---------------------------------------------------------------------------------------------------------

export interface CaseCursor {
  openedAt: string;
  id: string;
}

export interface CaseFilter {
  /** Cases whose unit path or handling unit's path starts with this; absent: the whole district. */
  pathPrefix?: string;
  status?: readonly CaseStatus[];
  step?: readonly CaseStep[];
  responsibleUnitId?: string;
  handlingUnitId?: string;
  /** Cases handled by this unit or a unit below it (a path). */
  handlingPathPrefix?: string;
  categoryKey?: string;
  channel?: string;
  /** Live cases whose deadline passed before this instant (UTC ISO). */
  overdueAt?: string;
  openedFrom?: string;
  openedTo?: string;
  after?: CaseCursor;
  limit: number;
}

/** Cases newest first (opened time, then id), filtered; keyset pagination after `after`. */
export async function listCases(db: Q, f: CaseFilter): Promise<StoredCase[]> {
  let q = db
    .selectFrom('case_file')
    .selectAll()
    .orderBy('opened_at', 'desc')
    .orderBy('id', 'desc')
    .limit(f.limit);
  const prefix = f.pathPrefix;
  if (prefix !== undefined)
    q = q.where((eb) =>
      eb.or([eb('unit_path', 'like', `${prefix}%`), eb('handling_unit_path', 'like', `${prefix}%`)]),
    );
  if (f.status && f.status.length > 0) q = q.where('status', 'in', [...f.status]);
  if (f.step && f.step.length > 0) q = q.where('step', 'in', [...f.step]);
  if (f.responsibleUnitId) q = q.where('responsible_unit_id', '=', f.responsibleUnitId);
  if (f.handlingUnitId) q = q.where('handling_unit_id', '=', f.handlingUnitId);
  if (f.handlingPathPrefix) q = q.where('handling_unit_path', 'like', `${f.handlingPathPrefix}%`);
  if (f.categoryKey) q = q.where('category_key', '=', f.categoryKey);
  if (f.channel) q = q.where('channel', '=', f.channel);
  if (f.overdueAt) q = q.where('status', '=', 'active').where('due_at', '<', f.overdueAt);
  if (f.openedFrom) q = q.where('opened_at', '>=', f.openedFrom);
  if (f.openedTo) q = q.where('opened_at', '<', f.openedTo);
  const after = f.after;
  if (after)
    q = q.where((eb) =>
      eb.or([
        eb('opened_at', '<', after.openedAt),
        eb.and([eb('opened_at', '=', after.openedAt), eb('id', '<', after.id)]),
      ]),
    );
  return (await q.execute()).map(toCase);
}

/**
 * Active cases whose current step awaits someone: `scopeSteps` in the scope (a path prefix; absent: the
 * district), or the handle step of cases handled at or below `handlingPrefix`. Earliest due first.
 */
export async function listTasks(
  db: Q,
  f: { pathPrefix?: string; scopeSteps: readonly CaseStep[]; handlingPrefix: string | null; limit: number },
): Promise<StoredCase[]> {
  const { pathPrefix, scopeSteps, handlingPrefix } = f;
  if (scopeSteps.length === 0 && handlingPrefix === null) return [];
  const rows = await db
    .selectFrom('case_file')
    .selectAll()
    .where('status', '=', 'active')
    .where((eb) => {
      const any = [];
      if (scopeSteps.length > 0)
        any.push(
          eb.and([
            eb('step', 'in', [...scopeSteps]),
            ...(pathPrefix === undefined ? [] : [eb('unit_path', 'like', `${pathPrefix}%`)]),
          ]),
        );
      if (handlingPrefix !== null)
        any.push(eb.and([eb('step', '=', 'handle'), eb('handling_unit_path', 'like', `${handlingPrefix}%`)]));
      return eb.or(any);
    })
    .orderBy((eb) => eb.case().when('due_at', 'is', null).then(1).else(0).end())
    .orderBy('due_at')
    .orderBy('id')
    .limit(f.limit)
    .execute();
  return rows.map(toCase);
}

export interface MapCase {
  id: string;
  code: string;
  lng: number;
  lat: number;
  status: CaseStatus;
  step: CaseStep;
  categoryKey: string | null;
  dueAt: string | null;
}

/** Live cases with a point inside the box, the most urgent (earliest due, then no deadline) first. */
export async function mapCases(
  db: Q,
  f: { minLng: number; minLat: number; maxLng: number; maxLat: number; pathPrefix?: string; limit: number },
): Promise<MapCase[]> {
  let q = db
    .selectFrom('case_file')
    .select(['id', 'code', 'lng', 'lat', 'status', 'step', 'category_key', 'due_at'])
    .where('status', 'in', [...LIVE_STATUSES])
    .where('lng', '>=', f.minLng)
    .where('lng', '<=', f.maxLng)
    .where('lat', '>=', f.minLat)
    .where('lat', '<=', f.maxLat)
    // Nulls last on both dialects: no deadline is the least urgent.
    .orderBy((eb) => eb.case().when('due_at', 'is', null).then(1).else(0).end())
    .orderBy('due_at')
    .orderBy('id')
    .limit(f.limit);
  const prefix = f.pathPrefix;
  if (prefix !== undefined)
    q = q.where((eb) =>
      eb.or([eb('unit_path', 'like', `${prefix}%`), eb('handling_unit_path', 'like', `${prefix}%`)]),
    );
  return (await q.execute()).map((r) => ({
    id: r.id,
    code: r.code,
    lng: Number(r.lng),
    lat: Number(r.lat),
    status: r.status as CaseStatus,
    step: r.step as CaseStep,
    categoryKey: r.category_key,
    dueAt: r.due_at,
  }));
}

// ---------------------------------------------------------------------------------------------------------
// Reports and attachments of a case
// ---------------------------------------------------------------------------------------------------------

export interface CaseReport {
  id: string;
  trackingCode: string;
  channel: string;
  description: string;
  address: string | null;
  receivedAt: string;
  reporterName: string | null;
  reporterPhone: string | null;
  anonymous: boolean;
}

/** The reports of a case, oldest first. */
export async function reportsOfCase(db: Q, caseId: string): Promise<CaseReport[]> {
  const rows = await db
    .selectFrom('report')
    .select([
      'id',
      'tracking_code',
      'channel',
      'description',
      'address',
      'received_at',
      'reporter_name',
      'reporter_phone',
      'anonymous',
    ])
    .where('case_id', '=', caseId)
    .orderBy('received_at')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    trackingCode: r.tracking_code,
    channel: r.channel,
    description: r.description,
    address: r.address,
    receivedAt: r.received_at,
    reporterName: r.reporter_name,
    reporterPhone: r.reporter_phone,
    anonymous: Number(r.anonymous) === 1,
  }));
}

// ---------------------------------------------------------------------------------------------------------
// Enforcement
// ---------------------------------------------------------------------------------------------------------

export interface StoredEnforcement {
  state: EnforcementState;
  dueAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export async function findEnforcement(db: Q, caseId: string): Promise<StoredEnforcement | undefined> {
  const r = await db
    .selectFrom('case_enforcement')
    .selectAll()
    .where('case_id', '=', caseId)
    .executeTakeFirst();
  if (!r) return undefined;
  const state = JSON.parse(r.state) as EnforcementState;
  return {
    state: { ...state, version: Number(r.version) },
    dueAt: r.due_at,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export async function insertEnforcement(
  db: Q,
  state: EnforcementState,
  dueAt: string | null,
  at: string,
): Promise<void> {
  await db
    .insertInto('case_enforcement')
    .values({
      case_id: state.caseId,
      step: state.step,
      state: JSON.stringify(state),
      due_at: dueAt,
      created_at: at,
      updated_at: at,
      version: state.version,
    })
    .execute();
}

/** Writes a moved procedure if it still has `expectedVersion`; false when someone else moved it first. */
export async function updateEnforcement(
  db: Q,
  expectedVersion: number,
  state: EnforcementState,
  dueAt: string | null,
  at: string,
): Promise<boolean> {
  const r = await db
    .updateTable('case_enforcement')
    .set({
      step: state.step,
      state: JSON.stringify(state),
      due_at: dueAt,
      updated_at: at,
      version: state.version,
    })
    .where('case_id', '=', state.caseId)
    .where('version', '=', expectedVersion)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
