/**
 * The deadline sweep (reminders, overdue marks, escalation; and the penalty procedures' legal deadlines)
 * and the alert inbox.
 *
 * The sweep is safe to run in any number of processes at once and after any crash: each alert's dedupe
 * key is unique in case_alert, so an alert goes in once however many sweeps try; the marks are written
 * only upwards and only while the case still has the deadline they belong to; and because what is due is
 * decided from the deadline and `now` alone, a sweep after downtime sends everything that fell due
 * meanwhile. A batch in which nothing is new writes nothing, so a quiet minute leaves no audit entry.
 */
import type { Deps } from '../deps.js';
import { audited, type ActionContext } from '../access/audit.service.js';
import { can, scopePathOf, systemActor, type Actor } from '../access/roles.js';
import { forbidden, notFound } from '../platform/errors.js';
import { newId } from '../platform/ids.js';
import { searchOrgUnits } from '../registry/org-units.service.js';
import {
  DEFAULT_ALERT_SETTINGS,
  decideAlerts,
  sweepHorizonMs,
  type AlertCase,
  type AlertDecision,
  type AlertDraft,
  type AlertKind,
  type AlertSettings,
} from './alerts.js';
import { decideEnforcementAlerts, type AlertEnforcement } from './enforcement-alerts.js';
import {
  existingAlertKeys,
  findVisibleAlert,
  insertAlerts,
  listInbox,
  lockCases,
  lockEnforcements,
  markAlertRead,
  markCase,
  selectDueCases,
  selectDueEnforcements,
  type DueCase,
  type DueCursor,
  type DueEnforcement,
  type InboxRow,
  type InboxViewer,
} from './alerts.store.js';

/** The recurring job (src/jobs.ts, every ONEGRID_ALERT_SWEEP_MS): one run per slot across all processes. */
export const SWEEP_JOB = 'cases.sweepDeadlines';

export interface SweepResult {
  /** Cases and penalty procedures read (a case with several deadlines near may be read more than once). */
  scanned: number;
  /** Alerts this sweep inserted, by kind. */
  alerts: Partial<Record<AlertKind, number>>;
  /** Cases whose overdue mark or escalation level this sweep wrote (never for a procedure's deadline). */
  marked: number;
  /** Write transactions (one audit entry each). */
  batches: number;
}

type Place = (c: DueCase) => AlertCase;
/** The squad whose scope holds a unit path, and the bureau. */
type UnitsOf = (unitPath: string | null) => { squad: string | null; bureau: string };

/**
 * Places cases in the org tree: the squad whose scope holds the case, and the bureau; `unitsOf` does the
 * same for a bare unit path (a penalty procedure's case). Null without a bureau.
 */
async function placer(deps: Pick<Deps, 'database'>): Promise<{ place: Place; unitsOf: UnitsOf } | null> {
  const system = systemActor(SWEEP_JOB);
  const [bureau] = await searchOrgUnits(deps, system, { kind: 'bureau', limit: 1 });
  if (!bureau) return null;
  // A squad's scope is its subdistrict's subtree (roles.ts scopePathOf): longest path first, so the
  // innermost squad wins.
  const squads = (await searchOrgUnits(deps, system, { kind: 'squad', limit: 5000 }))
    .map((s) => ({ id: s.id, scope: scopePathOf('squad', s.path) }))
    .sort((a, b) => b.scope.length - a.scope.length);
  const unitsOf: UnitsOf = (unitPath) => ({
    squad: unitPath === null ? null : (squads.find((s) => unitPath.startsWith(s.scope))?.id ?? null),
    bureau: bureau.id,
  });
  return {
    place: ({ handlingUnitId, responsibleUnitId, unitPath, ...c }) => ({
      ...c,
      units: { handling: handlingUnitId, responsible: responsibleUnitId, ...unitsOf(unitPath) },
    }),
    unitsOf,
  };
}

const needsMark = (c: DueCase, d: AlertDecision): boolean =>
  c.deadline !== null && (d.overdueSince !== c.overdueSince || d.escalationLevel > c.escalationLevel);

/**
 * One sweep over every active case whose deadline (or 第26条 reporter deadline) is within the warning
 * horizon or past: inserts the alerts that are due and writes the overdue marks and escalation levels,
 * `batchSize` cases per transaction; then over every penalty procedure of an active case whose nearest
 * legal deadline is within the horizon or past, inserting its alerts (no marks: the case's own columns
 * belong to the loop).
 */
export async function sweepDeadlines(
  deps: Pick<Deps, 'database' | 'clock' | 'logger'>,
  opts: { settings?: AlertSettings; batchSize?: number; signal?: AbortSignal } = {},
): Promise<SweepResult> {
  const settings = opts.settings ?? DEFAULT_ALERT_SETTINGS;
  const limit = opts.batchSize ?? 200;
  const result: SweepResult = { scanned: 0, alerts: {}, marked: 0, batches: 0 };
  const placed = await placer(deps);
  if (!placed) {
    deps.logger.warn({ job: SWEEP_JOB }, 'no bureau unit: case alerts have nowhere to go');
    return result;
  }
  const now = deps.clock();
  const horizon = new Date(now.getTime() + sweepHorizonMs(settings)).toISOString();
  const ctx: ActionContext = { actor: systemActor(SWEEP_JOB) };
  const db = deps.database.db;
  const { place, unitsOf } = placed;

  for (const column of ['due_at', 'reporter_due_at'] as const) {
    let after: DueCursor | null = null;
    do {
      const batch = await selectDueCases(db, { column, horizon, after, limit });
      after = batch.next;
      result.scanned += batch.cases.length;
      // Outside any transaction: skip the cases with nothing new, so that re-reading them costs no write.
      const decided = batch.cases.map((c) => ({ c, d: decideAlerts(place(c), now, settings) }));
      const taken = await existingAlertKeys(
        db,
        decided.flatMap(({ d }) => d.alerts.map((a) => a.dedupeKey)),
      );
      const ids = decided
        .filter(({ c, d }) => needsMark(c, d) || d.alerts.some((a) => !taken.has(a.dedupeKey)))
        .map(({ c }) => c.id);
      if (ids.length > 0) await writeBatch(deps, ctx, ids, { now, settings, place, result });
    } while (after && !opts.signal?.aborted); // a lost lease: the sweep that took over carries on
  }

  // The penalty procedures' legal deadlines (行政处罚法 第60条, 第61条, 第67条 …).
  const decideOne = (e: DueEnforcement) =>
    decideEnforcementAlerts(placeEnforcement(e, unitsOf), now, settings);
  let afterCase: string | null = null;
  do {
    const batch = await selectDueEnforcements(db, { horizon, after: afterCase, limit });
    afterCase = batch.next;
    result.scanned += batch.items.length;
    // Outside any transaction: skip the batch when nothing is new, so that re-reading it costs no write.
    const alerts = batch.items.flatMap(decideOne);
    const taken = await existingAlertKeys(
      db,
      alerts.map((a) => a.dedupeKey),
    );
    const caseIds = [...new Set(alerts.filter((a) => !taken.has(a.dedupeKey)).map((a) => a.caseId))];
    if (caseIds.length > 0) await writeEnforcementBatch(deps, ctx, caseIds, { decideOne, now, result });
  } while (afterCase && !opts.signal?.aborted);
  return result;
}

const placeEnforcement = (
  { caseId, caseCode, caseStatus, unitPath, state }: DueEnforcement,
  unitsOf: UnitsOf,
): AlertEnforcement => ({ caseId, caseCode, caseStatus, state, units: unitsOf(unitPath) });

/** Thrown to roll back a batch that another sweep did meanwhile: an empty batch leaves no audit entry. */
class AlreadySwept extends Error {}

/** Decides again on the locked rows and writes: another sweep or a move may have come first. */
async function writeBatch(
  deps: Pick<Deps, 'database' | 'clock'>,
  ctx: ActionContext,
  ids: string[],
  w: { now: Date; settings: AlertSettings; place: Place; result: SweepResult },
): Promise<void> {
  await audited(deps, ctx, async (tx, audit) => {
    const cases = await lockCases(tx, deps.database.dialect, ids);
    const decided = cases.map((c) => ({ c, d: decideAlerts(w.place(c), w.now, w.settings) }));
    const alerts = decided.flatMap(({ d }) => d.alerts);
    const taken = await existingAlertKeys(
      tx,
      alerts.map((a) => a.dedupeKey),
    );
    if (alerts.every((a) => taken.has(a.dedupeKey)) && !decided.some(({ c, d }) => needsMark(c, d)))
      throw new AlreadySwept();
    const inserted = await insertAlerts(
      tx,
      alerts.filter((a) => !taken.has(a.dedupeKey)).map((a) => ({ ...a, id: newId() })),
      w.now.toISOString(),
    );
    const marked: string[] = [];
    for (const { c, d } of decided) {
      if (!c.deadline || !needsMark(c, d)) continue;
      const m = {
        id: c.id,
        dueAt: c.deadline.due,
        overdueSince: d.overdueSince,
        escalationLevel: d.escalationLevel,
      };
      if (await markCase(tx, m)) marked.push(c.id);
    }
    const byKind: Partial<Record<AlertKind, number>> = {};
    for (const a of inserted) byKind[a.kind] = (byKind[a.kind] ?? 0) + 1;
    await audit({
      action: 'cases.sweepDeadlines',
      entity: 'caseAlert',
      after: { alerts: byKind, marked, caseIds: [...new Set(inserted.map((a) => a.caseId))] },
    });
    for (const [k, n] of Object.entries(byKind) as [AlertKind, number][])
      w.result.alerts[k] = (w.result.alerts[k] ?? 0) + n;
    w.result.marked += marked.length;
    w.result.batches += 1;
  }).catch((e: unknown) => {
    if (!(e instanceof AlreadySwept)) throw e;
  });
}

/**
 * Decides again on the locked procedures and writes their new alerts, with one audit entry: another sweep or
 * a move (a decision, a service) may have come first.
 */
async function writeEnforcementBatch(
  deps: Pick<Deps, 'database' | 'clock'>,
  ctx: ActionContext,
  caseIds: string[],
  w: { decideOne: (e: DueEnforcement) => AlertDraft[]; now: Date; result: SweepResult },
): Promise<void> {
  await audited(deps, ctx, async (tx, audit) => {
    const alerts = (await lockEnforcements(tx, deps.database.dialect, caseIds)).flatMap(w.decideOne);
    const taken = await existingAlertKeys(
      tx,
      alerts.map((a) => a.dedupeKey),
    );
    const fresh = alerts.filter((a) => !taken.has(a.dedupeKey));
    if (fresh.length === 0) throw new AlreadySwept();
    const inserted = await insertAlerts(
      tx,
      fresh.map((a) => ({ ...a, id: newId() })),
      w.now.toISOString(),
    );
    // Every key was taken by a sweep that committed after the check: nothing to record either.
    if (inserted.length === 0) throw new AlreadySwept();
    const byKind: Partial<Record<AlertKind, number>> = {};
    for (const a of inserted) byKind[a.kind] = (byKind[a.kind] ?? 0) + 1;
    await audit({
      action: 'cases.sweepEnforcementDeadlines',
      entity: 'caseAlert',
      after: { alerts: byKind, caseIds: [...new Set(inserted.map((a) => a.caseId))] },
    });
    for (const [k, n] of Object.entries(byKind) as [AlertKind, number][])
      w.result.alerts[k] = (w.result.alerts[k] ?? 0) + n;
    w.result.batches += 1;
  }).catch((e: unknown) => {
    if (!(e instanceof AlreadySwept)) throw e;
  });
}

// ---------------------------------------------------------------------------------------------------------
// For other capabilities' sweeps (the dual report's deliveries): the same table, the same exactly-once rule
// ---------------------------------------------------------------------------------------------------------

/** Which of these alerts' dedupe keys are already taken (read outside a transaction to skip quiet batches). */
export const takenAlertKeys = (db: Parameters<typeof existingAlertKeys>[0], keys: readonly string[]) =>
  existingAlertKeys(db, keys);

/** Inserts, inside the caller's audited transaction, the alerts whose key is free; answers those inserted. */
export const addAlerts = (
  tx: Parameters<typeof insertAlerts>[0],
  alerts: readonly AlertDraft[],
  createdAt: string,
): Promise<AlertDraft[]> =>
  insertAlerts(
    tx,
    alerts.map((a) => ({ ...a, id: newId() })),
    createdAt,
  );

// ---------------------------------------------------------------------------------------------------------
// The inbox
// ---------------------------------------------------------------------------------------------------------

const viewerOf = (actor: Actor): InboxViewer => ({
  pathPrefix: actor.unitPath,
  unitId: actor.unitId,
  role: actor.role,
});

/** The alerts of the actor's unit and the units below it, unread first (cases:read). */
export async function listAlerts(
  deps: Pick<Deps, 'database'>,
  actor: Actor,
  f: { kind?: string; unread?: boolean; limit?: number; offset?: number } = {},
): Promise<{ items: InboxRow[]; unread: number }> {
  if (!can(actor, 'cases:read')) throw forbidden();
  return listInbox(deps.database.db, viewerOf(actor), {
    ...(f.kind ? { kind: f.kind } : {}),
    ...(f.unread === undefined ? {} : { unread: f.unread }),
    limit: Math.min(f.limit ?? 50, 500),
    offset: f.offset ?? 0,
  });
}

/** Marks one alert read. Idempotent: an alert read before keeps its first reading time. Not visible: NotFound. */
export async function readAlert(
  deps: Pick<Deps, 'database' | 'clock'>,
  ctx: ActionContext,
  id: string,
): Promise<{ id: string; readAt: string }> {
  if (!can(ctx.actor, 'cases:read')) throw forbidden();
  const viewer = viewerOf(ctx.actor);
  const found = await findVisibleAlert(deps.database.db, viewer, id);
  if (!found) throw notFound('caseAlert', id);
  if (found.readAt !== null) return { id, readAt: found.readAt };
  return audited(deps, ctx, async (tx, audit) => {
    const at = deps.clock().toISOString();
    if (!(await markAlertRead(tx, id, at))) {
      // Read by someone else in the meantime: their time stands.
      const again = await findVisibleAlert(tx, viewer, id);
      await audit({
        action: 'caseAlert.read',
        entity: 'caseAlert',
        entityId: id,
        after: { readAt: again?.readAt ?? at, already: true },
      });
      return { id, readAt: again?.readAt ?? at };
    }
    await audit({ action: 'caseAlert.read', entity: 'caseAlert', entityId: id, after: { readAt: at } });
    return { id, readAt: at };
  });
}
