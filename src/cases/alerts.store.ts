/**
 * Every query of case alerts: the sweep's reads of due cases (by the case_file_due index) and of due
 * penalty procedures, the overdue and escalation marks, the idempotent insert of alerts, and the inbox.
 */
import type { ExpressionBuilder, Kysely, Transaction } from 'kysely';
import type { DB } from '../schema.js';
import type { Dialect } from '../platform/db/database.js';
import type { CaseStep } from './case-loop.js';
import type { AlertCase, AlertDraft, DeadlineRef } from './alerts.js';
import type { EnforcementState } from './enforcement.js';

type Q = Kysely<DB> | Transaction<DB>;

/** An alert case before the service has placed it in the org tree (squad, bureau). */
export type DueCase = Omit<AlertCase, 'units'> & {
  handlingUnitId: string | null;
  responsibleUnitId: string | null;
  unitPath: string | null;
};

const DUE_COLUMNS = [
  'id',
  'code',
  'status',
  'step',
  'due_at',
  'reporter_due_at',
  'step_started_at',
  'overdue_since',
  'escalation_level',
  'handling_unit_id',
  'responsible_unit_id',
  'unit_path',
  'state',
] as const;

interface DueRow {
  id: string;
  code: string;
  status: string;
  step: string;
  due_at: string | null;
  reporter_due_at: string | null;
  step_started_at: string | null;
  overdue_since: string | null;
  escalation_level: number;
  handling_unit_id: string | null;
  responsible_unit_id: string | null;
  unit_path: string | null;
  state: string | null;
}

type StateDeadline = { due?: unknown; from?: unknown; basis?: unknown } | null | undefined;

const sameInstant = (a: unknown, b: string) =>
  typeof a === 'string' && new Date(a).getTime() === new Date(b).getTime();
const text = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/** The column is the truth; the state's deadline of the same instant adds its period start and legal basis. */
function deadlineRef(
  due: string | null,
  fromState: StateDeadline,
  fallbackFrom: string | null,
): DeadlineRef | null {
  if (due === null) return null;
  const match = fromState && sameInstant(fromState.due, due) ? fromState : null;
  return { due, from: text(match?.from) ?? fallbackFrom, basis: text(match?.basis) };
}

function toDueCase(r: DueRow): DueCase {
  let state: { deadline?: StateDeadline; reporterDeadline?: StateDeadline } = {};
  try {
    state = r.state ? (JSON.parse(r.state) as typeof state) : {};
  } catch {
    // A row the loop never wrote keeps its columns; only the basis text is lost.
  }
  return {
    id: r.id,
    code: r.code,
    status: r.status,
    step: r.step as CaseStep,
    deadline: deadlineRef(r.due_at, state.deadline, r.step_started_at),
    reporterDeadline: deadlineRef(r.reporter_due_at, state.reporterDeadline, null),
    overdueSince: r.overdue_since,
    escalationLevel: Number(r.escalation_level),
    handlingUnitId: r.handling_unit_id,
    responsibleUnitId: r.responsible_unit_id,
    unitPath: r.unit_path,
  };
}

export interface DueCursor {
  at: string;
  id: string;
}

/**
 * One batch of active cases whose deadline in `column` falls before `horizon`, in (deadline, id) order after
 * `after`. Step deadlines skip cases already escalated to the bureau: nothing more can come for them.
 */
export async function selectDueCases(
  db: Q,
  f: { column: 'due_at' | 'reporter_due_at'; horizon: string; after: DueCursor | null; limit: number },
): Promise<{ cases: DueCase[]; next: DueCursor | null }> {
  const { column, after } = f;
  let q = db
    .selectFrom('case_file')
    .select(DUE_COLUMNS)
    .where('status', '=', 'active')
    .where(column, 'is not', null)
    .where(column, '<', f.horizon)
    .orderBy(column)
    .orderBy('id')
    .limit(f.limit);
  if (column === 'due_at') q = q.where('escalation_level', '<', 2);
  if (after)
    q = q.where((eb) =>
      eb.or([eb(column, '>', after.at), eb.and([eb(column, '=', after.at), eb('id', '>', after.id)])]),
    );
  const rows = await q.execute();
  const last = rows.at(-1);
  return {
    cases: rows.map(toDueCase),
    next: last && rows.length === f.limit ? { at: last[column] as string, id: last.id } : null,
  };
}

/**
 * The cases again inside the writing transaction, locked on PostgreSQL (in id order, so two sweeps never
 * deadlock): a move that commits meanwhile is seen, and none can slip in before the marks are written.
 */
export async function lockCases(
  tx: Transaction<DB>,
  dialect: Dialect,
  ids: readonly string[],
): Promise<DueCase[]> {
  if (ids.length === 0) return [];
  let q = tx.selectFrom('case_file').select(DUE_COLUMNS).where('id', 'in', ids).orderBy('id');
  if (dialect === 'postgres') q = q.forUpdate();
  return (await q.execute()).map(toDueCase);
}

// ---------------------------------------------------------------------------------------------------------
// The penalty procedures' deadlines
// ---------------------------------------------------------------------------------------------------------

/** A penalty procedure with its nearest deadline near or past, before the service placed its case. */
export interface DueEnforcement {
  caseId: string;
  caseCode: string;
  caseStatus: string;
  unitPath: string | null;
  state: EnforcementState;
}

function dueEnforcementQuery(db: Q) {
  return db
    .selectFrom('case_enforcement as e')
    .innerJoin('case_file as c', 'c.id', 'e.case_id')
    .select(['e.case_id', 'e.state', 'e.version', 'c.code', 'c.status', 'c.unit_path']);
}

type DueEnforcementRow = Awaited<ReturnType<ReturnType<typeof dueEnforcementQuery>['execute']>>[number];

/** The state as cases.store.ts findEnforcement reads it: the column's version is the truth. */
const toDueEnforcement = (r: DueEnforcementRow): DueEnforcement => ({
  caseId: r.case_id,
  caseCode: r.code,
  caseStatus: r.status,
  unitPath: r.unit_path,
  state: { ...(JSON.parse(r.state) as EnforcementState), version: Number(r.version) },
});

/**
 * One batch of procedures of active cases whose nearest pending deadline (case_enforcement.due_at, UTC ISO
 * text on both dialects) is at or before `horizon`, in case id order after `after`. Every pending deadline
 * within the horizon is found so: none is nearer than due_at.
 */
export async function selectDueEnforcements(
  db: Q,
  f: { horizon: string; after: string | null; limit: number },
): Promise<{ items: DueEnforcement[]; next: string | null }> {
  let q = dueEnforcementQuery(db)
    .where('e.due_at', 'is not', null)
    .where('e.due_at', '<=', f.horizon)
    .where('c.status', '=', 'active')
    .orderBy('e.case_id')
    .limit(f.limit);
  if (f.after !== null) q = q.where('e.case_id', '>', f.after);
  const rows = await q.execute();
  const last = rows.at(-1);
  return {
    items: rows.map(toDueEnforcement),
    next: last && rows.length === f.limit ? last.case_id : null,
  };
}

/**
 * The procedures again inside the writing transaction, their rows locked on PostgreSQL (in case id order, so
 * two sweeps never deadlock): a move that commits meanwhile (a decision, a service) is seen, and none can
 * slip in before the alerts are written.
 */
export async function lockEnforcements(
  tx: Transaction<DB>,
  dialect: Dialect,
  caseIds: readonly string[],
): Promise<DueEnforcement[]> {
  if (caseIds.length === 0) return [];
  let q = dueEnforcementQuery(tx).where('e.case_id', 'in', caseIds).orderBy('e.case_id');
  if (dialect === 'postgres') q = q.forUpdate('e');
  return (await q.execute()).map(toDueEnforcement);
}

/** Which of these dedupe keys are already taken. */
export async function existingAlertKeys(db: Q, keys: readonly string[]): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  const rows = await db
    .selectFrom('case_alert')
    .select('dedupe_key')
    .where('dedupe_key', 'in', keys)
    .execute();
  return new Set(rows.map((r) => r.dedupe_key));
}

/** Inserts the alerts whose key is free; a key another sweep took first is skipped. Answers the keys inserted. */
export async function insertAlerts(
  tx: Q,
  alerts: readonly (AlertDraft & { id: string })[],
  createdAt: string,
): Promise<AlertDraft[]> {
  if (alerts.length === 0) return [];
  const rows = await tx
    .insertInto('case_alert')
    .values(
      alerts.map((a) => ({
        id: a.id,
        dedupe_key: a.dedupeKey,
        case_id: a.caseId,
        kind: a.kind,
        unit_id: a.unitId,
        role: a.role,
        message: a.message,
        due_at: a.dueAt,
        created_at: createdAt,
        read_at: null,
      })),
    )
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .returning('dedupe_key')
    .execute();
  const inserted = new Set(rows.map((r) => r.dedupe_key));
  return alerts.filter((a) => inserted.has(a.dedupeKey));
}

/**
 * Writes the overdue mark and escalation level of a case, only while it still has the deadline they
 * belong to and only upwards. The version is left alone: a mark is no move, and must not make a person's
 * concurrent move fail.
 */
export async function markCase(
  tx: Q,
  m: { id: string; dueAt: string; overdueSince: string | null; escalationLevel: number },
): Promise<boolean> {
  const r = await tx
    .updateTable('case_file')
    .set({ overdue_since: m.overdueSince, escalation_level: m.escalationLevel })
    .where('id', '=', m.id)
    .where('due_at', '=', m.dueAt)
    .where('escalation_level', '<=', m.escalationLevel)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

// ---------------------------------------------------------------------------------------------------------
// The inbox
// ---------------------------------------------------------------------------------------------------------

/**
 * Whose inbox: alerts addressed to units at or below `pathPrefix`; in the viewer's own unit, an alert for
 * a role reaches only that role (a squad leader's escalation is not the dispatcher's business).
 */
export interface InboxViewer {
  pathPrefix: string;
  unitId: string;
  role: string | null;
}

const visibleTo =
  (v: InboxViewer) => (eb: ExpressionBuilder<DB & { a: DB['case_alert']; u: DB['org_unit'] }, 'a' | 'u'>) =>
    eb.and([
      eb('u.path', 'like', `${v.pathPrefix}%`),
      eb.or([
        eb('a.role', 'is', null),
        eb('a.unit_id', '<>', v.unitId),
        ...(v.role === null ? [] : [eb('a.role', '=', v.role)]),
      ]),
    ]);

export interface InboxRow {
  id: string;
  kind: string;
  caseId: string;
  caseCode: string;
  caseStep: string;
  caseStatus: string;
  /** The alert's deadline is still the case's: false once a move set a new one. */
  current: boolean;
  unit: { id: string; name: string };
  role: string | null;
  message: string;
  dueAt: string | null;
  createdAt: string;
  readAt: string | null;
}

function inboxQuery(db: Q, v: InboxViewer) {
  return db
    .selectFrom('case_alert as a')
    .innerJoin('org_unit as u', 'u.id', 'a.unit_id')
    .innerJoin('case_file as c', 'c.id', 'a.case_id')
    .where(visibleTo(v));
}

/** The viewer's alerts, unread first, then newest first; and how many are unread. */
export async function listInbox(
  db: Q,
  v: InboxViewer,
  f: { kind?: string; unread?: boolean; limit: number; offset: number },
): Promise<{ items: InboxRow[]; unread: number }> {
  let q = inboxQuery(db, v);
  if (f.kind) q = q.where('a.kind', '=', f.kind);
  const unread = await q
    .where('a.read_at', 'is', null)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  if (f.unread !== undefined) q = q.where('a.read_at', f.unread ? 'is' : 'is not', null);
  const rows = await q
    .select([
      'a.id',
      'a.kind',
      'a.case_id',
      'a.unit_id',
      'a.role',
      'a.message',
      'a.due_at',
      'a.created_at',
      'a.read_at',
      'u.name as unit_name',
      'c.code',
      'c.step',
      'c.status',
      'c.due_at as case_due_at',
      'c.reporter_due_at as case_reporter_due_at',
    ])
    .orderBy((eb) => eb.case().when('a.read_at', 'is', null).then(0).else(1).end())
    .orderBy('a.created_at', 'desc')
    .orderBy('a.id', 'desc')
    .limit(f.limit)
    .offset(f.offset)
    .execute();
  return {
    unread: Number(unread.n),
    items: rows.map((r) => ({
      id: r.id,
      kind: r.kind,
      caseId: r.case_id,
      caseCode: r.code,
      caseStep: r.step,
      caseStatus: r.status,
      // A delivery's alerts (the dual report's sweep) are about the delivery, and a penalty procedure's about
      // its own deadlines, not the case's step: they stay current while the case is active.
      current:
        r.status === 'active' &&
        r.due_at !== null &&
        (r.kind.startsWith('delivery') ||
          r.kind.startsWith('enforcement') ||
          sameInstant(r.kind.startsWith('reporter') ? r.case_reporter_due_at : r.case_due_at, r.due_at)),
      unit: { id: r.unit_id, name: r.unit_name },
      role: r.role,
      message: r.message,
      dueAt: r.due_at,
      createdAt: r.created_at,
      readAt: r.read_at,
    })),
  };
}

/** One alert if the viewer may see it. */
export async function findVisibleAlert(
  db: Q,
  v: InboxViewer,
  id: string,
): Promise<{ id: string; readAt: string | null } | undefined> {
  const r = await inboxQuery(db, v).select(['a.id', 'a.read_at']).where('a.id', '=', id).executeTakeFirst();
  return r && { id: r.id, readAt: r.read_at };
}

/** Marks an unread alert read; answers whether this call did. */
export async function markAlertRead(tx: Q, id: string, at: string): Promise<boolean> {
  const r = await tx
    .updateTable('case_alert')
    .set({ read_at: at })
    .where('id', '=', id)
    .where('read_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
