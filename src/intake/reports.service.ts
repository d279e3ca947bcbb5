/**
 * Intake use cases: receive a report from any channel (validated, routed, merged with an open case or given
 * a new one, stored immutably, audited, idempotent when asked), list and show reports in the caller's
 * scope, the triage queue and the dispatcher's decisions, nearby open cases and the public tracking page.
 *
 * Immutability: a report row is never updated after receipt, with one exception — `case_id`, the case it
 * belongs to, changes when a dispatcher splits it off a case it was wrongly merged into. A dispatcher's
 * decision on a triaged report (category, responsible unit) is stored on the case, never on the report;
 * both are recorded in the audit chain ('case.assign', 'report.split').
 */
import type { Transaction } from 'kysely';
import type { Deps } from '../deps.js';
import type { DB } from '../schema.js';
import { audited, type ActionContext, type Audit } from '../access/audit.service.js';
import { can, inScope, systemActor, type Actor } from '../access/roles.js';
import { maskPhone } from '../access/users.service.js';
import {
  DomainError,
  conflict,
  forbidden,
  invalid,
  isDomainError,
  notFound,
  unauthenticated,
} from '../platform/errors.js';
import { newId, randomBytesPooled } from '../platform/ids.js';
import { getCategory } from '../registry/categories.service.js';
import { getCompound } from '../registry/parties.service.js';
import { getOrgUnit } from '../registry/org-units.service.js';
import { districtOutline } from '../registry/grid-layers.service.js';
import { SERVICE_AREA_BBOX } from '../registry/parties.js';
import { toWgs84 } from '../registry/geo/crs.js';
import type { RoutingEngine, Resolution } from '../routing/routing.service.js';
import type { Photo } from './photos.js';
import type { TimeLimitLookup } from '../cases/time-limits.js';
import { linkAttachments } from './photos.service.js';
import { caseRulesOf, openCaseForReport } from '../cases/cases.service.js';
import { trackFollower } from '../cases/followers.service.js';
import { photosOf } from './photos.store.js';
import {
  CHANNEL_PERMISSION,
  DEFAULT_CRS,
  DEFAULT_INTAKE_SETTINGS,
  STAFF_CHANNELS,
  boxAround,
  checkReport,
  cleanText,
  coordinateProblems,
  decodeCursor,
  distanceToBoxM,
  encodeCursor,
  haversineM,
  makeCaseCode,
  makeTrackingCode,
  normalizeTrackingCode,
  nulProblems,
  pickDuplicate,
  reportStatusOf,
  type Box,
  type Channel,
  type DuplicateMatch,
  type FieldProblem,
  type IntakeSettings,
  type Point,
  type ReportCrs,
  type ReportStatus,
} from './reports.js';
import {
  categoryNames,
  claimIdempotencyKey,
  completeIdempotencyKey,
  findIdempotencyRecord,
  findReport,
  findReportByTrackingCode,
  insertReport,
  isUniqueViolation,
  listReports as storeListReports,
  listTriageQueue,
  openCasesInBox,
  reportCounts,
  reportIdsOfCase,
  setReportCase,
  updateCase,
  type CategoryName,
  type StoredReport,
  type UnitName,
} from './reports.store.js';

type Tx = Transaction<DB>;

/**
 * Reads of public reference data (the category directory, compounds' locations, org units' paths) that a
 * resident needs but holds no registry permission for: they go through the registry's services as this
 * reader, district-wide.
 */
const registryReader = systemActor('intake');

/** The ids an anonymous caller acts under (photos.service's anonymousActor). */
const isAnonymous = (actor: Actor) => actor.id === 'anonymous';

// ---------------------------------------------------------------------------------------------------------
// Input and answers
// ---------------------------------------------------------------------------------------------------------

export interface ReportLocationInput {
  lng: number;
  lat: number;
  /** wgs84, gcj02 (the default: WeChat mini programs) or bd09. */
  crs?: ReportCrs;
  /** The device's accuracy radius in metres. */
  accuracy?: number | null;
}

export interface ReportInput {
  channel: Channel;
  /** A category key such as 'event:06001'; may be absent from residents (a dispatcher sets it). */
  categoryKey?: string | null;
  description: string;
  /** A point, or */
  location?: ReportLocationInput | null;
  /** a compound picked from the registry (its location is used when no point is given). */
  compoundId?: string | null;
  address?: string | null;
  /** ISO-8601 with a zone; not in the future beyond the clock skew. */
  observedAt?: string | null;
  /** Ids of photos uploaded before (POST /api/photos). */
  photoIds?: readonly string[];
  /** Name and phone are optional; `anonymous` (or neither given) stores neither. */
  reporter?: { name?: string | null; phone?: string | null; anonymous?: boolean } | null;
  /** The source's own id (12345 ticket, Open311 token): unique per channel. */
  sourceTicketId?: string | null;
  /** Channel-specific fields kept with the report. */
  extra?: Record<string, unknown> | null;
}

export interface UnitView {
  id: string;
  name: string;
  nameEn: string | null;
}

/** The answer to a submission (and what an idempotent retry replays). */
export interface SubmitResult {
  id: string;
  trackingCode: string;
  status: ReportStatus;
  receivedAt: string;
  /** The unit the report was routed to, or null when it went to a triage queue. */
  responsibleUnit: UnitView | null;
  triage: { unit: UnitView; reason: string } | null;
  caseId: string;
  caseCode: string;
  /** Set when the report joined an open case about the same problem. */
  duplicateOf?: { caseId: string; caseCode: string; distanceM: number };
}

export interface IdempotencyInput {
  key: string;
  /** Who the key belongs to: 'user:<id>', 'apiKey:<id>' or 'anonymous:<client address>'. */
  principal: string;
  /** SHA-256 of the canonical request body. */
  requestHash: string;
}

// ---------------------------------------------------------------------------------------------------------
// Validation before anything is written
// ---------------------------------------------------------------------------------------------------------

/** Throws the first problem as Invalid naming its field; the others ride along in `problems`. */
function throwProblems(problems: FieldProblem[]): void {
  const first = problems[0];
  if (!first) return;
  throw invalid(first.key, {
    field: first.field,
    reason: first.reason,
    ...(first.value === undefined ? {} : { value: first.value }),
    ...(problems.length > 1 ? { problems } : {}),
  });
}

function checkChannel(actor: Actor, channel: Channel): void {
  const needs = CHANNEL_PERMISSION[channel];
  if (needs === null) return;
  if (isAnonymous(actor)) throw unauthenticated();
  if (!can(actor, needs))
    throw forbidden('reportChannelForbidden', { field: 'channel', value: channel, needs });
  if (STAFF_CHANNELS.includes(channel) && (actor.kind !== 'user' || actor.role === 'resident'))
    throw forbidden('reportChannelForbidden', { field: 'channel', value: channel, needs: 'staff' });
}

interface Located {
  /** As given (or the compound's point, WGS-84). */
  source: { crs: ReportCrs; lng: number; lat: number };
  accuracyM: number | null;
  compoundId: string | null;
  address: string | null;
}

async function locate(deps: Pick<Deps, 'database'>, input: ReportInput): Promise<Located> {
  const address = cleanText(input.address);
  const compoundId = cleanText(input.compoundId);
  let compound: { id: string; address: string | null; location: Point | null } | undefined;
  if (compoundId) {
    try {
      compound = await getCompound(deps, registryReader, compoundId);
    } catch (e) {
      if (isDomainError(e) && e.code === 'NotFound')
        throw invalid('unknownReference', { field: 'compoundId', reason: 'unknown', value: compoundId });
      throw e;
    }
  }
  if (input.location) {
    const { lng, lat } = input.location;
    throwProblems(coordinateProblems(lng, lat));
    return {
      source: { crs: input.location.crs ?? DEFAULT_CRS, lng, lat },
      accuracyM: input.location.accuracy ?? null,
      compoundId: compound?.id ?? null,
      address,
    };
  }
  if (compound) {
    if (!compound.location)
      throw invalid('compoundWithoutLocation', {
        field: 'compoundId',
        reason: 'noLocation',
        value: compound.id,
      });
    return {
      source: { crs: 'wgs84', lng: compound.location.lng, lat: compound.location.lat },
      accuracyM: null,
      compoundId: compound.id,
      address: address ?? compound.address,
    };
  }
  throw invalid('locationRequired', { field: 'location', reason: 'required' });
}

async function checkCategory(
  deps: Pick<Deps, 'database'>,
  key: string,
  field: string,
  engine?: RoutingEngine,
): Promise<CategoryName> {
  // Receipts read the category from the routing snapshot (rebuilt within a second of a registry change),
  // the same one that routes the report; a dispatcher's assignment and a category newer than the snapshot
  // read the database.
  const known = engine?.categoryView(key);
  if (known) {
    if (!known.active) throw invalid('categoryInactive', { field, reason: 'inactive', value: key });
    return { key: known.key, name: known.name, nameEn: known.nameEn };
  }
  try {
    const c = await getCategory(deps, registryReader, key);
    if (!c.active) throw invalid('categoryInactive', { field, reason: 'inactive', value: key });
    return { key: c.key, name: c.name, nameEn: c.nameEn };
  } catch (e) {
    if (isDomainError(e) && e.code === 'NotFound')
      throw invalid('unknownCategory', { field, reason: 'unknown', value: key });
    throw e;
  }
}

/** The district's bounding box, or the city's when no district layer is loaded. */
async function districtBox(deps: Pick<Deps, 'database'>): Promise<Box> {
  const outline = await districtOutline(deps);
  if (!outline || outline.length === 0) return SERVICE_AREA_BBOX;
  const box = { minLng: Infinity, minLat: Infinity, maxLng: -Infinity, maxLat: -Infinity };
  for (const polygon of outline)
    for (const [x, y] of polygon[0] ?? []) {
      box.minLng = Math.min(box.minLng, x);
      box.maxLng = Math.max(box.maxLng, x);
      box.minLat = Math.min(box.minLat, y);
      box.maxLat = Math.max(box.maxLat, y);
    }
  return box;
}

/**
 * A point the engine finds outside the district: kept for the bureau's triage queue when it lies within
 * `outsideToleranceM` of the district's box (a report from just across the boundary, or a GCJ-02 point
 * declared as WGS-84 at the edge, ~500 m off); refused when farther, because then the coordinates or the
 * declared crs are wrong (a swapped pair, a BD-09 point sent as WGS-84 from another city …).
 */
async function checkOutside(
  deps: Pick<Deps, 'database'>,
  point: Point,
  settings: IntakeSettings,
): Promise<void> {
  const d = distanceToBoxM(point, await districtBox(deps));
  if (d > settings.outsideToleranceM) {
    throw invalid('locationOutsideDistrict', {
      field: 'location',
      fields: ['location.lng', 'location.lat', 'location.crs'],
      reason: 'outsideDistrict',
      distanceKm: Math.round(d / 100) / 10,
    });
  }
}

/** Everything checked and resolved: what the transaction writes. */
interface PreparedReport {
  channel: Channel;
  category: CategoryName | null;
  description: string;
  located: Located;
  observedAt: string | null;
  reporter: { name: string | null; phone: string | null; anonymous: boolean };
  photoIds: string[];
  sourceTicketId: string | null;
  extra: Record<string, unknown> | null;
  resolution: Resolution;
  /** Time limits and calendar for the case a report may open (read before the transaction). */
  limits: TimeLimitLookup;
  /** The unit whose path scopes the report: the responsible unit, or the triage unit. */
  unit: { id: string; path: string };
  names: Record<string, UnitView>;
}

async function prepare(
  deps: Deps,
  engine: RoutingEngine,
  actor: Actor,
  input: ReportInput,
  settings: IntakeSettings,
): Promise<PreparedReport> {
  checkChannel(actor, input.channel);
  throwProblems(
    nulProblems({
      description: input.description,
      categoryKey: input.categoryKey,
      compoundId: input.compoundId,
      address: input.address,
      observedAt: input.observedAt,
      photoIds: input.photoIds,
      'reporter.name': input.reporter?.name,
      'reporter.phone': input.reporter?.phone,
      sourceTicketId: input.sourceTicketId,
    }),
  );
  const now = deps.clock();
  const r = input.reporter ?? {};
  const anonymous = r.anonymous === true || (cleanText(r.name) === null && cleanText(r.phone) === null);
  const reporter = anonymous
    ? { name: null, phone: null, anonymous: true }
    : { name: cleanText(r.name), phone: cleanText(r.phone)?.replace(/\s/g, '') ?? null, anonymous: false };
  const draft = {
    channel: input.channel,
    description: input.description,
    address: cleanText(input.address),
    observedAt: cleanText(input.observedAt),
    reporterName: reporter.name,
    reporterPhone: reporter.phone,
    photoIds: input.photoIds ?? [],
    accuracyM: input.location?.accuracy ?? null,
  };
  throwProblems(checkReport(draft, now, settings));
  const categoryKey = cleanText(input.categoryKey);
  const category = categoryKey === null ? null : await checkCategory(deps, categoryKey, 'categoryKey', engine);
  const located = await locate(deps, input);
  const resolution = await engine.resolve(
    located.source.lng,
    located.source.lat,
    located.source.crs,
    category?.key ?? null,
  );
  if (resolution.triage?.reason === 'outsideDistrict') await checkOutside(deps, resolution.point, settings);
  const unitId = resolution.responsible?.unitId ?? resolution.triage?.unitId;
  if (!unitId) throw new DomainError('Unavailable', 'routingNotReady', { reason: 'noUnit' });
  // The unit comes from the engine's snapshot, the same one that chose it: no second read on the hot path.
  const names = engine.unitViews([unitId]);
  const known = names[unitId];
  const unit = known
    ? { id: unitId, name: known.name, nameEn: known.nameEn, path: known.path }
    : await getOrgUnit(deps, registryReader, unitId);
  return {
    channel: input.channel,
    category,
    description: input.description.trim(),
    located,
    observedAt: draft.observedAt === null ? null : new Date(draft.observedAt).toISOString(),
    reporter,
    photoIds: [...draft.photoIds],
    sourceTicketId: cleanText(input.sourceTicketId),
    extra: input.extra ?? null,
    resolution,
    limits: await caseRulesOf(deps).limits(),
    unit: { id: unit.id, path: unit.path },
    names: {
      [unit.id]: {
        id: unit.id,
        name: names[unit.id]?.name ?? unit.name,
        nameEn: names[unit.id]?.nameEn ?? unit.nameEn,
      },
    },
  };
}

// ---------------------------------------------------------------------------------------------------------
// Receiving
// ---------------------------------------------------------------------------------------------------------

const reportSummary = (p: PreparedReport, caseId: string, trackingCode: string) => ({
  channel: p.channel,
  trackingCode,
  categoryKey: p.category?.key ?? null,
  point: p.resolution.point,
  responsibleUnitId: p.resolution.responsible?.unitId ?? null,
  ruleId: p.resolution.responsible?.ruleId ?? null,
  triage: p.resolution.triage,
  caseId,
  sourceTicketId: p.sourceTicketId,
  photos: p.photoIds.length,
  // The audit log is kept for years and cannot be edited: it never holds a full phone number.
  reporter: { name: p.reporter.name, phone: maskPhone(p.reporter.phone), anonymous: p.reporter.anonymous },
});

async function write(
  deps: Deps,
  tx: Tx,
  audit: Audit,
  actor: Actor,
  p: PreparedReport,
  settings: IntakeSettings,
): Promise<SubmitResult> {
  const now = deps.clock();
  const at = now.toISOString();
  const point = p.resolution.point;
  let duplicate: DuplicateMatch | null = null;
  if (p.category) {
    const since = new Date(now.getTime() - settings.duplicateWindowHours * 3600_000).toISOString();
    const candidates = await openCasesInBox(tx, boxAround(point, settings.duplicateDistanceM), {
      categoryKey: p.category.key,
      openedSince: since,
      limit: 200,
    });
    duplicate = pickDuplicate({ categoryKey: p.category.key, point }, candidates, now, settings);
  }
  let caseId: string;
  let caseCode: string;
  if (duplicate) {
    caseId = duplicate.caseId;
    caseCode = duplicate.caseCode;
  } else {
    caseId = newId();
    caseCode = makeCaseCode(now, randomBytesPooled(6));
    // The case loop's first state (collect, its deadlines), with the rules read in prepare(): never read
    // through deps.database.db inside the transaction (on SQLite that waits on the transaction's own connection).
    await openCaseForReport(tx, p.limits, {
      id: caseId,
      code: caseCode,
      channel: p.channel,
      categoryKey: p.category?.key ?? null,
      receivedAt: now,
      extra: p.extra,
      point,
      unitPath: p.unit.path,
      routedUnitId: p.resolution.responsible?.unitId ?? null,
    });
  }
  const id = newId();
  const trackingCode = makeTrackingCode(randomBytesPooled(9));
  await insertReport(tx, {
    id,
    tracking_code: trackingCode,
    channel: p.channel,
    source_ticket_id: p.sourceTicketId,
    category_key: p.category?.key ?? null,
    description: p.description,
    lng: point.lng,
    lat: point.lat,
    source_crs: p.located.source.crs,
    source_lng: p.located.source.lng,
    source_lat: p.located.source.lat,
    accuracy_m: p.located.accuracyM,
    address: p.located.address,
    compound_id: p.located.compoundId,
    observed_at: p.observedAt,
    received_at: at,
    reporter_name: p.reporter.name,
    reporter_phone: p.reporter.phone,
    anonymous: p.reporter.anonymous ? 1 : 0,
    submitted_by: isAnonymous(actor) ? null : actor.id,
    routing: JSON.stringify(p.resolution),
    responsible_unit_id: p.resolution.responsible?.unitId ?? null,
    rule_id: p.resolution.responsible?.ruleId ?? null,
    triage_unit_id: p.resolution.triage?.unitId ?? null,
    triage_reason: p.resolution.triage?.reason ?? null,
    unit_path: p.unit.path,
    case_id: caseId,
    extra: p.extra === null ? null : JSON.stringify(p.extra),
  });
  if (p.photoIds.length > 0) await linkAttachments(tx, p.photoIds, { reportId: id }, 'photoIds');
  // One entry for the receipt and the case it opened, written last: on PostgreSQL the audit chain's head is
  // locked from the first entry to the commit, so the shorter that stretch, the more reports per second.
  await audit({
    action: 'report.receive',
    entity: 'report',
    entityId: id,
    after: {
      ...reportSummary(p, caseId, trackingCode),
      openedCase: duplicate
        ? null
        : {
            code: caseCode,
            categoryKey: p.category?.key ?? null,
            responsibleUnitId: p.resolution.responsible?.unitId ?? null,
            step: 'collect',
          },
      duplicateOf: duplicate ? { caseId: duplicate.caseId, distanceM: duplicate.distanceM } : null,
    },
  });
  const unitView = p.names[p.unit.id] ?? { id: p.unit.id, name: p.unit.id, nameEn: null };
  const status = duplicate
    ? reportStatusOf({ status: duplicate.status, responsibleUnitId: duplicate.responsibleUnitId })
    : reportStatusOf({ status: 'active', responsibleUnitId: p.resolution.responsible?.unitId ?? null });
  return {
    id,
    trackingCode,
    status,
    receivedAt: at,
    responsibleUnit: p.resolution.responsible ? unitView : null,
    triage: p.resolution.triage ? { unit: unitView, reason: p.resolution.triage.reason } : null,
    caseId,
    caseCode,
    ...(duplicate
      ? {
          duplicateOf: {
            caseId: duplicate.caseId,
            caseCode: duplicate.caseCode,
            distanceM: duplicate.distanceM,
          },
        }
      : {}),
  };
}

/** Why a receipt's transaction hit a unique index, when it was not the idempotency key. */
const ticketTaken = (ticket: string) =>
  conflict('reportTicketExists', { field: 'sourceTicketId', reason: 'duplicate', value: ticket });

/**
 * Receives a report: checks the channel, every field and every reference before writing, resolves the point
 * with the routing engine (the full Resolution, with the layer versions, is stored with the report), joins
 * an open case of the same category within the duplicate distance and window or opens a new one (status
 * open, step collect; a report without category gets a case too, in its triage unit's queue), links its
 * photos, and writes it all with its audit entries in one transaction.
 */
export async function submitReport(
  deps: Deps,
  engine: RoutingEngine,
  ctx: ActionContext,
  input: ReportInput,
  settings: IntakeSettings = DEFAULT_INTAKE_SETTINGS,
): Promise<SubmitResult> {
  const p = await prepare(deps, engine, ctx.actor, input, settings);
  // A tracking or case code that collides (45 and 30 random bits) is retried with fresh codes.
  for (let attempt = 0; ; attempt++) {
    try {
      return await audited(deps, ctx, (tx, audit) => write(deps, tx, audit, ctx.actor, p, settings));
    } catch (e) {
      if (!isUniqueViolation(e)) throw e;
      if (p.sourceTicketId !== null) throw ticketTaken(p.sourceTicketId);
      if (attempt >= 2) throw e;
    }
  }
}

/**
 * `submitReport` for a capability whose own rows must commit with the report (the dual report's deliveries):
 * the same checks and receipt, and then `alsoWrite` inside the same audited transaction with the receipt.
 * A throw from `alsoWrite` rolls the report back too.
 */
export async function submitReportWith<T>(
  deps: Deps,
  engine: RoutingEngine,
  ctx: ActionContext,
  input: ReportInput,
  alsoWrite: (tx: Tx, audit: Audit, receipt: SubmitResult) => Promise<T>,
  settings: IntakeSettings = DEFAULT_INTAKE_SETTINGS,
): Promise<{ receipt: SubmitResult; also: T }> {
  const p = await prepare(deps, engine, ctx.actor, input, settings);
  for (let attempt = 0; ; attempt++) {
    try {
      return await audited(deps, ctx, async (tx, audit) => {
        const receipt = await write(deps, tx, audit, ctx.actor, p, settings);
        return { receipt, also: await alsoWrite(tx, audit, receipt) };
      });
    } catch (e) {
      if (!isUniqueViolation(e)) throw e;
      if (p.sourceTicketId !== null) throw ticketTaken(p.sourceTicketId);
      if (attempt >= 2) throw e;
    }
  }
}

/**
 * `submitReport` under an idempotency key. The key is claimed inside the report's own transaction (primary
 * key: key + principal), so two concurrent requests with one key can never both commit: the second waits
 * for the first (PostgreSQL) or runs after it (SQLite), fails on the key, and replays the stored answer.
 * Same key and same body: the first answer, marked `replayed`; same key, another body: 409.
 */
export async function submitReportIdempotent(
  deps: Deps,
  engine: RoutingEngine,
  ctx: ActionContext,
  input: ReportInput,
  idem: IdempotencyInput,
  settings: IntakeSettings = DEFAULT_INTAKE_SETTINGS,
): Promise<{ replayed: boolean; statusCode: number; body: SubmitResult }> {
  const replay = async () => {
    const rec = await findIdempotencyRecord(deps.database.db, idem.key, idem.principal);
    if (!rec) return undefined;
    if (rec.requestHash !== idem.requestHash)
      throw conflict('idempotencyKeyReused', { field: 'Idempotency-Key', reason: 'differentBody' });
    return { replayed: true, statusCode: rec.statusCode, body: rec.response as SubmitResult };
  };
  const before = await replay();
  if (before) return before;
  const p = await prepare(deps, engine, ctx.actor, input, settings);
  for (let attempt = 0; ; attempt++) {
    try {
      const body = await audited(deps, ctx, async (tx, audit) => {
        await claimIdempotencyKey(tx, {
          key: idem.key,
          principal: idem.principal,
          request_hash: idem.requestHash,
          created_at: deps.clock().toISOString(),
        });
        const result = await write(deps, tx, audit, ctx.actor, p, settings);
        await completeIdempotencyKey(tx, idem.key, idem.principal, 201, result);
        return result;
      });
      return { replayed: false, statusCode: 201, body };
    } catch (e) {
      if (!isUniqueViolation(e)) throw e;
      const again = await replay();
      if (again) return again;
      if (p.sourceTicketId !== null) throw ticketTaken(p.sourceTicketId);
      if (attempt >= 2) throw e;
    }
  }
}

// ---------------------------------------------------------------------------------------------------------
// Reading: listing, detail, triage queue
// ---------------------------------------------------------------------------------------------------------

/** A report as staff see it. Phones are masked in listings, and in the detail for those who do not triage. */
export interface ReportView {
  id: string;
  trackingCode: string;
  channel: string;
  sourceTicketId: string | null;
  status: ReportStatus;
  category: CategoryName | null;
  description: string;
  location: Point | null;
  source: { crs: string | null; lng: number | null; lat: number | null };
  accuracyM: number | null;
  address: string | null;
  compoundId: string | null;
  observedAt: string | null;
  receivedAt: string;
  reporter: { name: string | null; phone: string | null; anonymous: boolean };
  responsibleUnit: UnitName | null;
  ruleId: string | null;
  triage: { unit: UnitName; reason: string } | null;
  case: {
    id: string;
    code: string;
    status: string;
    step: string;
    category: CategoryName | null;
    responsibleUnit: UnitName | null;
    openedAt: string;
    version: number;
  } | null;
}

export interface ReportDetail extends ReportView {
  /** The Resolution the report was routed with: every layer's cell and version at receipt. */
  routing: unknown;
  extra: Record<string, unknown> | null;
  /** Other reports of the same case (ids, oldest first). */
  caseReportIds: string[];
  /** The report's own photos, oldest first: the served copy and thumbnail URLs, and the original's SHA-256 as evidence. */
  photos: Photo[];
}

function present(r: StoredReport, phone: 'full' | 'masked'): ReportView {
  return {
    id: r.id,
    trackingCode: r.trackingCode,
    channel: r.channel,
    sourceTicketId: r.sourceTicketId,
    status: reportStatusOf(
      r.case && { status: r.case.status, responsibleUnitId: r.case.responsibleUnit?.id ?? null },
    ),
    category: r.category,
    description: r.description,
    location: r.location,
    source: r.source,
    accuracyM: r.accuracyM,
    address: r.address,
    compoundId: r.compoundId,
    observedAt: r.observedAt,
    receivedAt: r.receivedAt,
    reporter: {
      name: r.reporterName,
      phone: phone === 'full' ? r.reporterPhone : maskPhone(r.reporterPhone),
      anonymous: r.anonymous,
    },
    responsibleUnit: r.responsibleUnit,
    ruleId: r.ruleId,
    triage: r.triageUnit ? { unit: r.triageUnit, reason: r.triageReason ?? 'noRule' } : null,
    case: r.case && {
      id: r.case.id,
      code: r.case.code,
      status: r.case.status,
      step: r.case.step,
      category: r.case.category,
      responsibleUnit: r.case.responsibleUnit,
      openedAt: r.case.openedAt,
      version: r.case.version,
    },
  };
}

/** A report is in scope when its own unit (at receipt) or its case's unit lies in the actor's subtree. */
const reportInScope = (actor: Actor, r: StoredReport) =>
  inScope(actor, r.unitPath) || (r.case?.unitPath != null && inScope(actor, r.case.unitPath));

const scopePrefix = (actor: Actor) => (can(actor, 'scope:district') ? {} : { pathPrefix: actor.unitPath });

async function visibleReport(deps: Pick<Deps, 'database'>, actor: Actor, id: string): Promise<StoredReport> {
  const r = await findReport(deps.database.db, id);
  if (!r || !reportInScope(actor, r)) throw notFound('report', id);
  return r;
}

/** One report with its routing and case; out of scope answers NotFound exactly like a missing one. */
export async function getReport(
  deps: Pick<Deps, 'database'>,
  actor: Actor,
  id: string,
): Promise<ReportDetail> {
  if (!can(actor, 'reports:read')) throw forbidden();
  const r = await visibleReport(deps, actor, id);
  const caseReportIds = r.case ? await reportIdsOfCase(deps.database.db, r.case.id) : [];
  const photos = await photosOf(deps.database.db, { reportId: r.id });
  return {
    ...present(r, can(actor, 'reports:triage') ? 'full' : 'masked'),
    routing: r.routing,
    extra: r.extra,
    caseReportIds,
    photos,
  };
}

export interface ReportQuery {
  channel?: Channel;
  status?: 'triage' | 'open' | 'closed';
  triage?: boolean;
  unitId?: string;
  from?: string;
  to?: string;
  limit?: number;
  cursor?: string;
}

/** Reports in the actor's scope, newest first, phones masked; `nextCursor` continues the listing. */
export async function searchReports(
  deps: Pick<Deps, 'database'>,
  actor: Actor,
  q: ReportQuery,
): Promise<{ items: ReportView[]; nextCursor: string | null }> {
  if (!can(actor, 'reports:read')) throw forbidden();
  const limit = Math.min(Math.max(q.limit ?? 50, 1), 500);
  const after = q.cursor === undefined ? undefined : decodeCursor(q.cursor);
  if (after === null) throw invalid('cursorInvalid', { field: 'cursor', reason: 'format' });
  for (const [field, v] of [
    ['from', q.from],
    ['to', q.to],
  ] as const)
    if (v !== undefined && Number.isNaN(Date.parse(v)))
      throw invalid('instantFormat', { field, reason: 'format', value: v });
  const rows = await storeListReports(deps.database.db, {
    ...scopePrefix(actor),
    ...(q.channel ? { channel: q.channel } : {}),
    ...(q.status ? { status: q.status } : {}),
    ...(q.triage === undefined ? {} : { triage: q.triage }),
    ...(q.unitId ? { unitId: q.unitId } : {}),
    ...(q.from ? { from: new Date(q.from).toISOString() } : {}),
    ...(q.to ? { to: new Date(q.to).toISOString() } : {}),
    ...(after ? { after } : {}),
    limit: limit + 1,
  });
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    items: page.map((r) => present(r, 'masked')),
    nextCursor:
      rows.length > limit && last ? encodeCursor({ receivedAt: last.receivedAt, id: last.id }) : null,
  };
}

/** The triage queue: undecided reports whose triage unit is in the actor's scope, oldest first, with the reason. */
export async function triageQueue(
  deps: Pick<Deps, 'database'>,
  actor: Actor,
  limit = 200,
): Promise<ReportView[]> {
  if (!can(actor, 'reports:triage')) throw forbidden();
  const rows = await listTriageQueue(deps.database.db, {
    ...scopePrefix(actor),
    limit: Math.min(Math.max(limit, 1), 1000),
  });
  return rows.map((r) => present(r, 'masked'));
}

// ---------------------------------------------------------------------------------------------------------
// Dispatcher decisions
// ---------------------------------------------------------------------------------------------------------

/** The kinds of unit a case may be assigned to: those that handle matters. */
const ASSIGNABLE_KINDS = new Set([
  'squad',
  'workstation',
  'department',
  'subdistrict',
  'sector',
  'community',
  'bureau',
]);

export interface AssignInput {
  categoryKey?: string | null;
  unitId: string;
  /** The case's version as the dispatcher saw it (optimistic locking). */
  version?: number;
}

/**
 * A dispatcher sets the category and the responsible unit of a report's case (a triaged report's, or a
 * correction). The report itself is not changed: the decision lives on the case and in the audit chain
 * ('case.assign'). The unit may lie outside the dispatcher's own subtree (a partner department).
 */
export async function assignReport(
  deps: Deps,
  ctx: ActionContext,
  id: string,
  input: AssignInput,
): Promise<ReportDetail> {
  if (!can(ctx.actor, 'reports:triage')) throw forbidden();
  const r = await visibleReport(deps, ctx.actor, id);
  if (!r.case) throw conflict('reportWithoutCase', { field: 'id', value: id });
  const categoryKey = cleanText(input.categoryKey);
  const category = categoryKey === null ? null : await checkCategory(deps, categoryKey, 'categoryKey');
  if (!category && !r.case.category)
    throw invalid('assignNeedsCategory', { field: 'categoryKey', reason: 'required' });
  let unit;
  try {
    unit = await getOrgUnit(deps, registryReader, input.unitId);
  } catch (e) {
    if (isDomainError(e) && e.code === 'NotFound')
      throw invalid('unknownReference', { field: 'unitId', reason: 'unknown', value: input.unitId });
    throw e;
  }
  if (!unit.active || !ASSIGNABLE_KINDS.has(unit.kind))
    throw invalid('assignUnitKind', {
      field: 'unitId',
      reason: unit.active ? 'kind' : 'inactive',
      value: unit.kind,
    });
  const kase = r.case;
  await audited(deps, ctx, async (tx, audit) => {
    const version = input.version ?? kase.version;
    const ok = await updateCase(tx, kase.id, version, {
      category_key: category?.key ?? kase.category?.key ?? null,
      responsible_unit_id: unit.id,
      unit_path: unit.path,
      updated_at: deps.clock().toISOString(),
    });
    if (!ok)
      throw conflict('versionConflict', {
        entity: 'case',
        field: 'version',
        version,
        currentVersion: kase.version,
      });
    await audit({
      action: 'case.assign',
      entity: 'case',
      entityId: kase.id,
      before: {
        categoryKey: kase.category?.key ?? null,
        responsibleUnitId: kase.responsibleUnit?.id ?? null,
      },
      after: {
        categoryKey: category?.key ?? kase.category?.key ?? null,
        responsibleUnitId: unit.id,
        reportId: r.id,
      },
    });
  });
  return getReport(deps, ctx.actor, id);
}

/**
 * Splits a report off a case it was wrongly merged into: a new case (status active, step collect) from the
 * report's own category and routing, and the report's case link moved to it — the one association of a
 * report that may change. Refused (Conflict) for the only report of its case. Audited ('report.split').
 */
export async function splitReport(deps: Deps, ctx: ActionContext, id: string): Promise<ReportDetail> {
  if (!can(ctx.actor, 'reports:triage')) throw forbidden();
  const r = await visibleReport(deps, ctx.actor, id);
  const from = r.case;
  if (!from) throw conflict('reportWithoutCase', { field: 'id', value: id });
  // Read before the transaction: on SQLite a read through deps.database.db inside it would wait on itself.
  const limits = await caseRulesOf(deps).limits();
  await audited(deps, ctx, async (tx, audit) => {
    const members = await reportIdsOfCase(tx, from.id);
    if (members.length < 2 || !members.includes(r.id))
      throw conflict('reportNotMerged', { field: 'id', value: id });
    const caseId = newId();
    const code = makeCaseCode(deps.clock(), randomBytesPooled(6));
    // The split-off case starts the loop afresh (collect, its deadlines) from the report's own facts.
    await openCaseForReport(tx, limits, {
      id: caseId,
      code,
      channel: r.channel,
      categoryKey: r.category?.key ?? null,
      receivedAt: deps.clock(),
      extra: null,
      point: r.location ?? null,
      unitPath: r.unitPath,
      routedUnitId: r.responsibleUnit?.id ?? null,
    });
    if (!(await setReportCase(tx, r.id, from.id, caseId)))
      throw conflict('versionConflict', { entity: 'report', field: 'caseId' });
    await audit({
      action: 'case.open',
      entity: 'case',
      entityId: caseId,
      after: {
        code,
        categoryKey: r.category?.key ?? null,
        responsibleUnitId: r.responsibleUnit?.id ?? null,
        step: 'collect',
        splitFrom: from.id,
      },
    });
    await audit({
      action: 'report.split',
      entity: 'report',
      entityId: r.id,
      before: { caseId: from.id },
      after: { caseId },
    });
  });
  return getReport(deps, ctx.actor, id);
}

// ---------------------------------------------------------------------------------------------------------
// Public: nearby open cases, tracking
// ---------------------------------------------------------------------------------------------------------

export interface NearbyCase {
  caseId: string;
  caseCode: string;
  category: CategoryName | null;
  location: Point;
  distanceM: number;
  openedAt: string;
  reports: number;
}

/**
 * Open cases near a point, nearest first (for the resident page: follow one instead of reporting again).
 * Public: no personal data, only the case's category, place and age.
 */
export async function nearbyCases(
  deps: Pick<Deps, 'database'>,
  q: { lng: number; lat: number; crs?: ReportCrs; categoryKey?: string | null; radiusM?: number },
  settings: IntakeSettings = DEFAULT_INTAKE_SETTINGS,
): Promise<NearbyCase[]> {
  throwProblems(coordinateProblems(q.lng, q.lat));
  const [lng, lat] = toWgs84(q.lng, q.lat, q.crs ?? DEFAULT_CRS);
  const point = { lng, lat };
  const radius = Math.min(Math.max(q.radiusM ?? settings.nearbyRadiusM, 1), 2000);
  const categoryKey = cleanText(q.categoryKey);
  const candidates = await openCasesInBox(deps.database.db, boxAround(point, radius), {
    ...(categoryKey ? { categoryKey } : {}),
    limit: 500,
  });
  const near = candidates
    .flatMap((c) => {
      if (c.lng === null || c.lat === null) return [];
      const d = haversineM(point, { lng: c.lng, lat: c.lat });
      return d <= radius ? [{ c, d, location: { lng: c.lng, lat: c.lat } }] : [];
    })
    .sort((a, b) => a.d - b.d || (a.c.id < b.c.id ? -1 : 1))
    .slice(0, 20);
  const counts = await reportCounts(
    deps.database.db,
    near.map((n) => n.c.id),
  );
  const names = await categoryNames(deps.database.db, [
    ...new Set(near.flatMap((n) => (n.c.categoryKey ? [n.c.categoryKey] : []))),
  ]);
  return near.map((n) => ({
    caseId: n.c.id,
    caseCode: n.c.code,
    category: n.c.categoryKey ? (names.get(n.c.categoryKey) ?? null) : null,
    location: n.location,
    distanceM: Math.round(n.d * 10) / 10,
    openedAt: n.c.openedAt,
    reports: counts.get(n.c.id) ?? 0,
  }));
}

/** What the public tracking page shows: no personal data, no description, no units' internal paths. */
export interface TrackingView {
  trackingCode: string;
  status: ReportStatus;
  receivedAt: string;
  category: CategoryName | null;
  caseCode: string | null;
  /** Public replies to the reporter (the case loop adds them; none yet). */
  replies: Array<{ at: string; text: string }>;
}

/** The public tracking page of a report; a malformed code, a wrong check character and a missing report all answer NotFound. */
export async function trackReport(deps: Pick<Deps, 'database'>, code: string): Promise<TrackingView> {
  const normal = normalizeTrackingCode(code);
  const r = normal === null ? undefined : await findReportByTrackingCode(deps.database.db, normal);
  if (!r) {
    // A resident who followed an open case instead of reporting it holds a follower's code (cases/followers).
    const f = normal === null ? undefined : await trackFollower(deps, normal);
    if (!f) throw notFound('report', code);
    return {
      trackingCode: f.trackingCode,
      status: reportStatusOf({ status: f.caseStatus, responsibleUnitId: f.responsibleUnitId }),
      receivedAt: f.createdAt,
      category: f.category,
      caseCode: f.caseCode,
      replies: [],
    };
  }
  return {
    trackingCode: r.trackingCode,
    status: reportStatusOf(
      r.case && { status: r.case.status, responsibleUnitId: r.case.responsibleUnit?.id ?? null },
    ),
    receivedAt: r.receivedAt,
    category: r.case?.category ?? r.category,
    caseCode: r.case?.code ?? null,
    replies: [],
  };
}
