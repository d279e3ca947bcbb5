/**
 * The delivery sweep: reminders to the squad and the 拆违办 when a dual report's delivery is not acknowledged
 * or nobody went on site in time (上海市拆除违法建筑若干规定 第7条). The alerts go to the case alert inbox.
 *
 * Like the case deadline sweep (src/cases/alerts.service.ts), it is safe to run in any number of processes
 * at once and after any crash: each alert's dedupe key is unique in case_alert, so an alert goes in once
 * however many sweeps try; and because what is due is decided from the deadlines and `now` alone, a sweep
 * after downtime sends everything that fell due meanwhile. A batch in which nothing is new writes nothing,
 * so a quiet minute leaves no audit entry.
 */
import type { Deps } from '../deps.js';
import { audited, type ActionContext } from '../access/audit.service.js';
import { systemActor } from '../access/roles.js';
import {
  DEFAULT_ALERT_SETTINGS,
  sweepHorizonMs,
  type AlertDraft,
  type AlertKind,
  type AlertSettings,
} from '../cases/alerts.js';
import { addAlerts, takenAlertKeys } from '../cases/alerts.service.js';
import { decideDeliveryAlerts } from './delivery-alerts.js';
import { lockDeliveries, selectDueDeliveries } from './delivery-alerts.store.js';

/** The recurring job (src/jobs.ts, every ONEGRID_ALERT_SWEEP_MS): one run per slot across all processes. */
export const DELIVERY_SWEEP_JOB = 'dualreport.sweepDeliveries';

/** How far back a sweep looks for unmet deadlines: a week of downtime is caught up with, no more. */
export const DELIVERY_LOOKBACK_MS = 7 * 24 * 3600_000;

export interface DeliverySweepResult {
  /** Deliveries read. */
  scanned: number;
  /** Alerts this sweep inserted, by kind. */
  alerts: Partial<Record<AlertKind, number>>;
  /** Write transactions (one audit entry each). */
  batches: number;
}

/**
 * One sweep over every delivery of an active case whose acknowledgement or on-site deadline is unmet and
 * within the warning horizon or past: inserts the alerts that are due, `batchSize` deliveries per
 * transaction.
 */
export async function sweepDeliveryDeadlines(
  deps: Pick<Deps, 'database' | 'clock' | 'logger'>,
  opts: { settings?: AlertSettings; batchSize?: number; signal?: AbortSignal } = {},
): Promise<DeliverySweepResult> {
  const settings = opts.settings ?? DEFAULT_ALERT_SETTINGS;
  const limit = opts.batchSize ?? 200;
  const result: DeliverySweepResult = { scanned: 0, alerts: {}, batches: 0 };
  const now = deps.clock();
  const horizon = new Date(now.getTime() + sweepHorizonMs(settings)).toISOString();
  // Deadlines older than this are left alone: their overdue alerts went in long ago (or, after a longer
  // outage, are no news to anyone), and the scan stays as small as the recent deliveries.
  const since = new Date(now.getTime() - DELIVERY_LOOKBACK_MS).toISOString();
  const ctx: ActionContext = { actor: systemActor(DELIVERY_SWEEP_JOB) };
  const db = deps.database.db;

  let after: string | null = null;
  do {
    const batch = await selectDueDeliveries(db, { horizon, since, after, limit });
    after = batch.next;
    result.scanned += batch.deliveries.length;
    // Outside any transaction: skip the deliveries with nothing new, so that re-reading them costs no write.
    const decided = batch.deliveries.map((d) => ({
      id: d.id,
      alerts: decideDeliveryAlerts(d, now, settings).filter((a) => a.dueAt > since),
    }));
    const taken = await takenAlertKeys(
      db,
      decided.flatMap((d) => d.alerts.map((a) => a.dedupeKey)),
    );
    const ids = decided.filter((d) => d.alerts.some((a) => !taken.has(a.dedupeKey))).map((d) => d.id);
    if (ids.length > 0) await writeBatch(deps, ctx, ids, { now, since, settings, result });
  } while (after && !opts.signal?.aborted); // a lost lease: the sweep that took over carries on
  return result;
}

/** Thrown to roll back a batch that another sweep did meanwhile: an empty batch leaves no audit entry. */
class AlreadySwept extends Error {}

/**
 * Decides again on the locked deliveries and writes: another sweep, an acknowledgement or an arrival on site
 * may have come first.
 */
async function writeBatch(
  deps: Pick<Deps, 'database' | 'clock'>,
  ctx: ActionContext,
  ids: string[],
  w: { now: Date; since: string; settings: AlertSettings; result: DeliverySweepResult },
): Promise<void> {
  await audited(deps, ctx, async (tx, audit) => {
    const deliveries = await lockDeliveries(tx, deps.database.dialect, ids);
    const alerts: AlertDraft[] = [];
    const deliveryOf = new Map<string, string>();
    for (const d of deliveries)
      for (const a of decideDeliveryAlerts(d, w.now, w.settings).filter((x) => x.dueAt > w.since)) {
        alerts.push(a);
        deliveryOf.set(a.dedupeKey, d.id);
      }
    const taken = await takenAlertKeys(
      tx,
      alerts.map((a) => a.dedupeKey),
    );
    const fresh = alerts.filter((a) => !taken.has(a.dedupeKey));
    if (fresh.length === 0) throw new AlreadySwept();
    const inserted = await addAlerts(tx, fresh, w.now.toISOString());
    // Every key was taken by a sweep that committed after the check: nothing to record either.
    if (inserted.length === 0) throw new AlreadySwept();
    const byKind: Partial<Record<AlertKind, number>> = {};
    for (const a of inserted) byKind[a.kind] = (byKind[a.kind] ?? 0) + 1;
    const deliveryIds = [...new Set(inserted.map((a) => deliveryOf.get(a.dedupeKey)))];
    await audit({
      action: 'dualreport.sweepDeliveries',
      entity: 'caseAlert',
      after: { alerts: byKind, deliveryIds },
    });
    for (const [k, n] of Object.entries(byKind) as [AlertKind, number][])
      w.result.alerts[k] = (w.result.alerts[k] ?? 0) + n;
    w.result.batches += 1;
  }).catch((e: unknown) => {
    if (!(e instanceof AlreadySwept)) throw e;
  });
}
