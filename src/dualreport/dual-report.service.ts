/**
 * Dual report use cases: a property company reports illegal construction in a compound it manages; the report
 * is received by intake (channel dualReport) and, in the same transaction, delivered to the compound's squad
 * and to the district 拆违办, each delivery with its receipt and deadlines. Each recipient acknowledges once
 * and records its arrival on site. The company sees its own reports with both receipts and what happened
 * next; a recipient sees those delivered to units in its scope.
 */
import type { Deps } from '../deps.js';
import { audited, type ActionContext } from '../access/audit.service.js';
import { can, inScope, systemActor, type Actor } from '../access/roles.js';
import { DomainError, conflict, forbidden, invalid, isDomainError, notFound } from '../platform/errors.js';
import { newId } from '../platform/ids.js';
import type { WorkCalendar } from '../platform/calendar/calendar.js';
import { getCategory, listCategories } from '../registry/categories.service.js';
import { getCompound, searchCompounds } from '../registry/parties.service.js';
import { getOrgUnit } from '../registry/org-units.service.js';
import type { Compound } from '../registry/parties.js';
import type { Category } from '../registry/categories.js';
import type { RoutingEngine } from '../routing/routing.service.js';
import { parseInstant, type ReportCrs } from '../intake/reports.js';
import { submitReportWith, type SubmitResult } from '../intake/reports.service.js';
import {
  DEFAULT_DUAL_REPORT_SETTINGS,
  RECIPIENTS,
  checkDualReport,
  checkDualReportCategory,
  checkManaged,
  deliveryDeadlines,
  lagOf,
  needsDissuasion,
  overdue,
  receiptCode,
  type DissuasionRecord,
  type DualReportSettings,
  type Place,
  type Recipient,
} from './dual-report.js';
import {
  companyOfUnit,
  deliveriesOf,
  departmentUnit,
  findDelivery,
  findDualReport,
  insertDelivery,
  insertDualReport,
  listDualReports,
  setAcknowledged,
  setOnSite,
  squadOfAncestors,
  type StoredDelivery,
  type StoredDualReport,
  type UnitRef,
} from './dual-report.store.js';

/** Registry reads (compound, category, units) that a company user holds no registry permission for. */
const registryReader = systemActor('dualReport');

/**
 * What the dual report needs beyond deps: the app's routing engine and the working-day calendar — a fixed
 * one (tests), or a source read before each report (the app: the cases' rules source, so the bureau's
 * calendar overrides apply from their next report on, without a restart).
 */
export interface DualReportEnv {
  engine: RoutingEngine;
  calendar: WorkCalendar | (() => Promise<WorkCalendar>);
  settings?: DualReportSettings;
}

export interface DualReportInput {
  compoundId: string;
  place?: Place | null;
  /** A map point; without it the compound's location is used. */
  location?: { lng: number; lat: number; crs?: ReportCrs; accuracy?: number | null } | null;
  categoryKey: string;
  description: string;
  discoveredAt: string;
  underWay: boolean;
  dissuasion?: DissuasionRecord | null;
  noDissuasionReason?: string | null;
  photoIds?: readonly string[];
}

export interface DeliveryView {
  id: string;
  reportId: string;
  recipient: Recipient;
  unit: { id: string; name: string };
  receiptCode: string;
  deliveredAt: string;
  ackDeadline: { due: string; basis: string };
  onSiteDeadline: { due: string; basis: string };
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
  onSiteAt: string | null;
  onSiteBy: string | null;
  /** Acknowledged after its deadline, or not yet and the deadline has passed. */
  ackOverdue: boolean;
  onSiteOverdue: boolean;
}

export interface DualReportView extends Omit<StoredDualReport, 'reportId'> {
  id: string;
  deliveries: DeliveryView[];
}

// ---------------------------------------------------------------------------------------------------------
// Who is who
// ---------------------------------------------------------------------------------------------------------

/** The company a property-company user acts for: the one whose org unit the user belongs to. */
async function companyOf(
  deps: Pick<Deps, 'database'>,
  actor: Actor,
): Promise<{ id: string; name: string } | undefined> {
  return actor.role === 'propertyCompany' ? companyOfUnit(deps.database.db, actor.unitId) : undefined;
}

const mayRead = (a: Actor) =>
  can(a, 'dualReport:create') || can(a, 'dualReport:receive') || can(a, 'reports:read');

/** The compound's squad (its subdistrict's) and the district 拆违办; Unavailable when the registry lacks one. */
async function recipientsOf(
  deps: Pick<Deps, 'database'>,
  compound: Compound,
): Promise<Record<Recipient, UnitRef>> {
  const community = await getOrgUnit(deps, registryReader, compound.community.id);
  const squad = await squadOfAncestors(deps.database.db, community.path.split('/').filter(Boolean));
  const office = await departmentUnit(deps.database.db, 'illegalConstructionOffice');
  if (!squad || !office)
    throw new DomainError('Unavailable', 'dualReportRecipientMissing', {
      recipient: squad ? 'illegalConstructionOffice' : 'squad',
    });
  return { squad, illegalConstructionOffice: office };
}

async function lookup<T>(load: () => Promise<T>, key: string, field: string, value: string): Promise<T> {
  try {
    return await load();
  } catch (e) {
    if (isDomainError(e) && e.code === 'NotFound') throw invalid(key, { field, reason: 'unknown', value });
    throw e;
  }
}

/** What a company user's form offers: the compounds its company manages and the categories it may report. */
export interface DualReportForm {
  company: { id: string; name: string };
  compounds: {
    id: string;
    name: string;
    address: string | null;
    location: { lng: number; lat: number } | null;
  }[];
  categories: { key: string; name: string; nameEn: string | null }[];
}

/**
 * The choices of the dual-report form for a property-company user, who holds no registry permission: read
 * district-wide as the registry reader, then limited to the user's own company's compounds and to the
 * illegal-construction family (the only categories submitDualReport accepts).
 */
export async function dualReportForm(deps: Pick<Deps, 'database'>, actor: Actor): Promise<DualReportForm> {
  if (!can(actor, 'dualReport:create')) throw forbidden();
  const company = await companyOf(deps, actor);
  if (!company) throw forbidden('dualReportNoCompany', { field: 'actor' });
  const compounds = await searchCompounds(deps, registryReader, {
    propertyCompanyId: company.id,
    limit: 5000,
  });
  const categories = await listCategories(deps, registryReader, { family: 'illegalConstruction' });
  return {
    company,
    compounds: compounds.map((c) => ({ id: c.id, name: c.name, address: c.address, location: c.location })),
    categories: categories.map((c) => ({ key: c.key, name: c.name, nameEn: c.nameEn })),
  };
}

// ---------------------------------------------------------------------------------------------------------
// Submitting
// ---------------------------------------------------------------------------------------------------------

/**
 * A property company's dual report. Everything is checked before any write (the company manages the compound,
 * an illegal-construction category, the discovery and dissuasion times, the dissuasion record); then intake
 * receives the report and, in the same transaction, the dual report and its two deliveries are stored and
 * audited. Returns the dual report with both receipts.
 */
export async function submitDualReport(
  deps: Deps,
  env: DualReportEnv,
  ctx: ActionContext,
  input: DualReportInput,
): Promise<{ dualReport: DualReportView; receipt: SubmitResult }> {
  const settings = env.settings ?? DEFAULT_DUAL_REPORT_SETTINGS;
  const { actor } = ctx;
  if (!can(actor, 'dualReport:create')) throw forbidden();
  // Read before the transaction (on SQLite a read through deps.database.db inside it waits on itself).
  const calendar = typeof env.calendar === 'function' ? await env.calendar() : env.calendar;
  const company = await companyOf(deps, actor);
  if (!company) throw forbidden('dualReportNoCompany', { field: 'actor' });
  const compound = await lookup(
    () => getCompound(deps, registryReader, input.compoundId),
    'unknownReference',
    'compoundId',
    input.compoundId,
  );
  checkManaged(compound, company.id);
  const category: Category = await lookup(
    () => getCategory(deps, registryReader, input.categoryKey),
    'unknownCategory',
    'categoryKey',
    input.categoryKey,
  );
  checkDualReportCategory(category);
  const place = {
    building: clean(input.place?.building),
    unit: clean(input.place?.unit),
    room: clean(input.place?.room),
  };
  const dissuasion = input.dissuasion ?? null;
  const noDissuasionReason = clean(input.noDissuasionReason);
  checkDualReport(
    { discoveredAt: input.discoveredAt, dissuasion, noDissuasionReason, place },
    needsDissuasion(category.family),
    deps.clock(),
    settings,
  );
  const recipients = await recipientsOf(deps, compound);
  const discoveredAt = new Date(input.discoveredAt).toISOString();
  const photoIds = [...new Set([...(input.photoIds ?? []), ...(dissuasion?.photoIds ?? [])])];

  const { receipt } = await submitReportWith(
    deps,
    env.engine,
    ctx,
    {
      channel: 'dualReport',
      categoryKey: category.key,
      description: input.description,
      compoundId: compound.id,
      location: input.location ?? null,
      address: [compound.name, place.building, place.unit, place.room].filter(Boolean).join(' '),
      observedAt: input.discoveredAt,
      photoIds,
      reporter: { name: company.name, anonymous: false },
      extra: { companyId: company.id, place, underWay: input.underWay, discoveredAt },
    },
    async (tx, audit, r) => {
      const { lagMinutes, late } = lagOf(discoveredAt, r.receivedAt);
      await insertDualReport(tx, {
        report_id: r.id,
        company_id: company.id,
        compound_id: compound.id,
        building: place.building,
        unit: place.unit,
        room: place.room,
        discovered_at: discoveredAt,
        reported_at: r.receivedAt,
        under_way: input.underWay ? 1 : 0,
        dissuasion:
          dissuasion && JSON.stringify({ ...dissuasion, at: new Date(dissuasion.at).toISOString() }),
        no_dissuasion_reason: dissuasion ? null : noDissuasionReason,
        lag_minutes: lagMinutes,
        late: late ? 1 : 0,
        submitted_by: actor.id,
      });
      const deliveries = [];
      for (const recipient of RECIPIENTS) {
        const unit = recipients[recipient];
        // 上海市拆除违法建筑若干规定 第7条: the period runs from the recipient's receipt of the report.
        const { ack, onSite } = deliveryDeadlines(calendar, new Date(r.receivedAt), input.underWay, settings);
        const row = {
          id: newId(),
          report_id: r.id,
          recipient,
          unit_id: unit.id,
          unit_path: unit.path,
          receipt_code: receiptCode(r.trackingCode, recipient),
          delivered_at: r.receivedAt,
          ack_deadline: new Date(ack.due).toISOString(),
          ack_basis: ack.basis,
          on_site_deadline: new Date(onSite.due).toISOString(),
          on_site_basis: onSite.basis,
        };
        await insertDelivery(tx, row);
        deliveries.push({
          id: row.id,
          recipient,
          unitId: unit.id,
          receiptCode: row.receipt_code,
          ackDue: row.ack_deadline,
          onSiteDue: row.on_site_deadline,
        });
      }
      await audit({
        action: 'dualReport.submit',
        entity: 'dualReport',
        entityId: r.id,
        after: {
          companyId: company.id,
          compoundId: compound.id,
          place,
          underWay: input.underWay,
          discoveredAt,
          lagMinutes,
          late,
          dissuasion: dissuasion !== null,
          deliveries,
        },
      });
    },
  );
  return { dualReport: await getDualReport(deps, actor, receipt.id), receipt };
}

const clean = (v: string | null | undefined): string | null => v?.trim() || null;

// ---------------------------------------------------------------------------------------------------------
// Reading
// ---------------------------------------------------------------------------------------------------------

function presentDelivery(d: StoredDelivery, now: Date): DeliveryView {
  return {
    id: d.id,
    reportId: d.reportId,
    recipient: d.recipient,
    unit: { id: d.unit.id, name: d.unit.name },
    receiptCode: d.receiptCode,
    deliveredAt: d.deliveredAt,
    ackDeadline: d.ackDeadline,
    onSiteDeadline: d.onSiteDeadline,
    acknowledgedAt: d.acknowledgedAt,
    acknowledgedBy: d.acknowledgedBy,
    onSiteAt: d.onSiteAt,
    onSiteBy: d.onSiteBy,
    ackOverdue: overdue(d.ackDeadline.due, d.acknowledgedAt, now),
    onSiteOverdue: overdue(d.onSiteDeadline.due, d.onSiteAt, now),
  };
}

const present = (
  { reportId, ...r }: StoredDualReport,
  deliveries: StoredDelivery[],
  now: Date,
): DualReportView => ({
  id: reportId,
  ...r,
  deliveries: deliveries.filter((d) => d.reportId === reportId).map((d) => presentDelivery(d, now)),
});

/** Which dual reports an actor sees: its company's, those delivered into its scope, or all (district scope). */
async function visibility(
  deps: Pick<Deps, 'database'>,
  actor: Actor,
): Promise<{ companyId?: string; recipientPathPrefix?: string }> {
  if (!mayRead(actor)) throw forbidden();
  const company = await companyOf(deps, actor);
  if (company) return { companyId: company.id };
  if (actor.role === 'propertyCompany') throw forbidden('dualReportNoCompany', { field: 'actor' });
  return can(actor, 'scope:district') ? {} : { recipientPathPrefix: actor.unitPath };
}

/** One dual report with its deliveries; one the actor may not see answers NotFound like a missing one. */
export async function getDualReport(
  deps: Pick<Deps, 'database' | 'clock'>,
  actor: Actor,
  id: string,
): Promise<DualReportView> {
  const v = await visibility(deps, actor);
  const r = await findDualReport(deps.database.db, id);
  if (!r || (v.companyId !== undefined && r.company.id !== v.companyId)) throw notFound('dualReport', id);
  const deliveries = await deliveriesOf(deps.database.db, [r.reportId]);
  if (v.recipientPathPrefix !== undefined && !deliveries.some((d) => inScope(actor, d.unit.path)))
    throw notFound('dualReport', id);
  return present(r, deliveries, deps.clock());
}

export interface DualReportQuery {
  from?: string;
  to?: string;
  compoundId?: string;
  late?: boolean;
  limit?: number;
}

/** Dual reports the actor sees, newest first, each with both deliveries and the case's state. */
export async function searchDualReports(
  deps: Pick<Deps, 'database' | 'clock'>,
  actor: Actor,
  q: DualReportQuery,
): Promise<DualReportView[]> {
  const v = await visibility(deps, actor);
  const period: { from?: string; to?: string } = {};
  for (const field of ['from', 'to'] as const) {
    const text = q[field];
    if (text === undefined) continue;
    const d = parseInstant(text);
    if (!d) throw invalid('instantFormat', { field, reason: 'format', value: text });
    period[field] = d.toISOString();
  }
  const rows = await listDualReports(deps.database.db, {
    ...v,
    ...period,
    ...(q.compoundId ? { compoundId: q.compoundId } : {}),
    ...(q.late === undefined ? {} : { late: q.late }),
    limit: Math.min(Math.max(q.limit ?? 100, 1), 1000),
  });
  const deliveries = await deliveriesOf(
    deps.database.db,
    rows.map((r) => r.reportId),
  );
  return rows.map((r) => present(r, deliveries, deps.clock()));
}

// ---------------------------------------------------------------------------------------------------------
// The recipients' steps
// ---------------------------------------------------------------------------------------------------------

async function receivable(deps: Pick<Deps, 'database'>, actor: Actor, id: string): Promise<StoredDelivery> {
  if (!can(actor, 'dualReport:receive')) throw forbidden();
  const d = await findDelivery(deps.database.db, id);
  if (!d || !inScope(actor, d.unit.path)) throw notFound('delivery', id);
  return d;
}

/** The recipient acknowledges its delivery, once: a second acknowledgement is a Conflict and changes nothing. */
export async function acknowledgeDelivery(deps: Deps, ctx: ActionContext, id: string): Promise<DeliveryView> {
  const d = await receivable(deps, ctx.actor, id);
  const at = deps.clock().toISOString();
  await audited(deps, ctx, async (tx, audit) => {
    if (!(await setAcknowledged(tx, id, at, ctx.actor.id)))
      throw conflict('deliveryAlreadyAcknowledged', { field: 'id', value: id });
    await audit({
      action: 'delivery.acknowledge',
      entity: 'delivery',
      entityId: id,
      after: {
        reportId: d.reportId,
        recipient: d.recipient,
        acknowledgedAt: at,
        late: overdue(d.ackDeadline.due, at, new Date(at)),
      },
    });
  });
  return presentDelivery((await findDelivery(deps.database.db, id))!, deps.clock());
}

/**
 * The recipient records its arrival on site (上海市拆除违法建筑若干规定 第7条 调查取证), once, after acknowledging;
 * `at` defaults to now and may be neither in the future nor before the delivery.
 */
export async function recordOnSite(
  deps: Deps,
  ctx: ActionContext,
  id: string,
  input: { at?: string | null } = {},
): Promise<DeliveryView> {
  const d = await receivable(deps, ctx.actor, id);
  const now = deps.clock();
  let at = now.toISOString();
  if (input.at) {
    const parsed = parseInstant(input.at);
    if (!parsed) throw invalid('instantFormat', { field: 'at', reason: 'format', value: input.at });
    if (parsed.getTime() > now.getTime())
      throw invalid('instantInFuture', { field: 'at', reason: 'future', value: input.at });
    if (parsed.getTime() < Date.parse(d.deliveredAt))
      throw invalid('onSiteBeforeDelivery', { field: 'at', reason: 'beforeDelivery', value: input.at });
    at = parsed.toISOString();
  }
  await audited(deps, ctx, async (tx, audit) => {
    if (!(await setOnSite(tx, id, at, ctx.actor.id))) {
      const current = await findDelivery(tx, id);
      throw conflict(current?.acknowledgedAt ? 'deliveryAlreadyOnSite' : 'deliveryNotAcknowledged', {
        field: 'id',
        value: id,
      });
    }
    await audit({
      action: 'delivery.onSite',
      entity: 'delivery',
      entityId: id,
      after: {
        reportId: d.reportId,
        recipient: d.recipient,
        onSiteAt: at,
        late: overdue(d.onSiteDeadline.due, at, now),
      },
    });
  });
  return presentDelivery((await findDelivery(deps.database.db, id))!, deps.clock());
}
