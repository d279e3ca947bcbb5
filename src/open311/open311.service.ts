/**
 * Open311 use cases: the public, read-only side (services, requests, updates, tokens) and the one write
 * (POST requests, which hands the report to intake). Open311 readers are anonymous by the spec; they act
 * as `open311Reader()`, which may read the category directory and the public fields of reports, nothing
 * else. Submitting needs an API key with `open311:submit`.
 */
import { createHash } from 'node:crypto';
import type { Deps } from '../deps.js';
import type { ActionContext } from '../access/audit.service.js';
import { authenticateApiKey } from '../access/access.service.js';
import { can, type Actor } from '../access/roles.js';
import { DomainError, forbidden, invalid, isDomainError } from '../platform/errors.js';
import { renderMessage, type MessageCatalogue } from '../platform/http/messages.js';
import { getCategory, listCategories } from '../registry/categories.service.js';
import { getOrgUnit, searchOrgUnits } from '../registry/org-units.service.js';
import { getCompound, searchCompounds } from '../registry/parties.service.js';
import type { Category } from '../registry/categories.js';
import type { Compound } from '../registry/parties.js';
import type { RoutingEngine } from '../routing/routing.service.js';
import { SUBDISTRICT_LAYER } from '../routing/routing.js';
import {
  getReport,
  submitReport,
  submitReportIdempotent,
  type ReportInput,
  type SubmitResult,
} from '../intake/reports.service.js';
import { canonicalJson, isIdempotencyKey, normalizeTrackingCode } from '../intake/reports.js';
import { photoUrls } from '../intake/photos.js';
import {
  MAX_REQUESTS,
  TERMINAL_CASE_STATUSES,
  categoryKeyOfServiceCode,
  open311Time,
  parseNewServiceRequest,
  parseRequestsQuery,
  parseWindow,
  reporterName,
  serviceCodeOf,
  serviceDefinitionOf,
  serviceOf,
  statusOf,
  type Lang,
  type Open311Receipt,
  type Open311Request,
  type Open311Service,
  type Open311ServiceDefinition,
  type Open311Token,
  type Open311Update,
  type RawParams,
} from './open311.js';
import { open311Messages } from './open311.messages.js';
import { listPublicReports, type PublicReport } from './open311.store.js';

/**
 * The anonymous Open311 reader: the spec makes services and requests public. It reads the category
 * directory and the org tree (for names and the jurisdiction), district-wide, and nothing it could write.
 */
export const open311Reader = (): Actor => ({
  kind: 'system',
  id: 'system:open311',
  name: 'open311',
  role: null,
  unitId: '',
  unitPath: '/',
  permissions: new Set(['registry:read', 'scope:district', 'reports:read', 'cases:read']),
});

/** The jurisdiction: the code of the bureau at the top of the org tree (310112 in the demo district). */
export async function jurisdictionId(deps: Pick<Deps, 'database'>): Promise<string | null> {
  const bureaus = await searchOrgUnits(deps, open311Reader(), { kind: 'bureau', limit: 10 });
  const top = bureaus.sort((a, b) => a.path.length - b.path.length || (a.code < b.code ? -1 : 1))[0];
  return top?.code ?? null;
}

/**
 * Checks jurisdiction_id when one is given: this endpoint serves one jurisdiction, so the spec lets
 * clients leave it out; a wrong one is a 404 naming it.
 */
export async function checkJurisdiction(
  deps: Pick<Deps, 'database'>,
  given: string | undefined,
): Promise<void> {
  if (given === undefined || given.trim() === '') return;
  const ours = await jurisdictionId(deps);
  if (ours === null || given.trim() !== ours)
    throw new DomainError('NotFound', 'open311Jurisdiction', { field: 'jurisdiction_id', value: given });
}

/** Every active category as an Open311 service, in directory order (kind, code). */
export async function listServices(deps: Pick<Deps, 'database'>, lang: Lang): Promise<Open311Service[]> {
  const categories = await listCategories(deps, open311Reader(), { limit: 5000 });
  return categories
    .filter((c) => c.active)
    .sort((a, b) => (a.kind === b.kind ? (a.code < b.code ? -1 : 1) : a.kind < b.kind ? -1 : 1))
    .map((c) => serviceOf(c, lang));
}

/** The active category a service_code names; NotFound (naming the code) when none does. */
export async function categoryOfServiceCode(deps: Pick<Deps, 'database'>, code: string): Promise<Category> {
  const key = categoryKeyOfServiceCode(code);
  const fail = () =>
    new DomainError('NotFound', 'open311ServiceUnknown', { field: 'service_code', value: code });
  if (!key) throw fail();
  try {
    const c = await getCategory(deps, open311Reader(), key);
    if (!c.active) throw fail();
    return c;
  } catch (e) {
    if (isDomainError(e) && e.code === 'NotFound') throw fail();
    throw e;
  }
}

/** GET services/{code}: the definition of one service (we define no extra attributes). */
export async function getServiceDefinition(
  deps: Pick<Deps, 'database'>,
  code: string,
): Promise<Open311ServiceDefinition> {
  return serviceDefinitionOf(await categoryOfServiceCode(deps, code));
}

/**
 * The actor behind an Open311 api_key. A missing, malformed, unknown or revoked key, or one without
 * `open311:submit`, is the spec's 403 (not our usual 401: Open311 clients expect 403 for a bad api_key).
 */
export async function open311Submitter(
  deps: Pick<Deps, 'database'>,
  apiKey: string | undefined,
): Promise<Actor> {
  if (apiKey === undefined || apiKey.trim() === '')
    throw forbidden('open311ApiKeyMissing', { field: 'api_key' });
  let actor: Actor;
  try {
    actor = await authenticateApiKey(deps, apiKey.trim());
  } catch (e) {
    if (isDomainError(e) && (e.code === 'Unauthenticated' || e.code === 'Invalid'))
      throw forbidden('open311ApiKeyBad', { field: 'api_key' });
    throw e;
  }
  if (!can(actor, 'open311:submit')) throw forbidden('open311ApiKeyNoPermission', { field: 'api_key' });
  return actor;
}

// ---------------------------------------------------------------------------------------------------------
// Service requests: what is public, and how it reads
// ---------------------------------------------------------------------------------------------------------

/**
 * The channels whose reports Open311 lists: residents' own reports and those that came in over Open311.
 * Patrol and grid-worker findings, dual reports and 12345 hotline tickets (transcribed calls that may name
 * the caller) are internal work and never listed; GET requests/{id} answers 404 for them.
 */
export const OPEN311_CHANNELS: readonly string[] = ['open311', 'resident'];
/**
 * Whose description Open311 shows: only reports posted over Open311, whose clients publish them by the
 * spec. A resident typed theirs for the bureau, and the tracking page shows no description either.
 */
export const DESCRIPTION_PUBLIC_CHANNELS: readonly string[] = ['open311'];
/** The service_code of a report nobody has classified yet (residents may leave the category empty). */
export const UNCLASSIFIED_SERVICE_CODE = 'unclassified';
/** The layer whose cells are communities (居委/村委): the demo district's name for it. */
export const COMMUNITY_LAYER = 'communities';

/** What presenting a request needs besides the row: the language, the origin for URLs, the names. */
export interface PresentContext {
  lang: Lang;
  /** scheme://host of the request, for absolute media URLs. */
  origin: string;
  engine?: RoutingEngine | undefined;
}

const say = (key: string, lang: Lang, details: Record<string, unknown> = {}) =>
  renderMessage(open311Messages as MessageCatalogue, key, lang, details);
const nameIn = (n: { name: string; nameEn: string | null }, lang: Lang) =>
  lang === 'en' ? (n.nameEn ?? n.name) : n.name;

interface PointCellLike {
  layer?: unknown;
  unitId?: unknown;
}

/** The unit ids of a stored resolution's community and subdistrict cells. */
function placeUnits(routing: string): { community: string | null; subdistrict: string | null } {
  let cells: PointCellLike[] = [];
  try {
    const r = JSON.parse(routing) as { cells?: unknown };
    if (Array.isArray(r.cells)) cells = r.cells as PointCellLike[];
  } catch {
    cells = [];
  }
  const of = (layer: string) => {
    const c = cells.find((x) => x.layer === layer && typeof x.unitId === 'string');
    return c ? (c.unitId as string) : null;
  };
  return { community: of(COMMUNITY_LAYER), subdistrict: of(SUBDISTRICT_LAYER) };
}

/**
 * Names of units and compounds for one listing, each looked up once: the routing engine's snapshot first
 * (in memory), then the registry's services.
 */
function registryNames(deps: Pick<Deps, 'database'>, engine: RoutingEngine | undefined) {
  const reader = open311Reader();
  const units = new Map<string, Promise<{ name: string; nameEn: string | null } | null>>();
  const compounds = new Map<string, Promise<Compound | null>>();
  return {
    unit(id: string) {
      let p = units.get(id);
      if (!p) {
        const known = engine?.unitViews([id])[id];
        p = known
          ? Promise.resolve({ name: known.name, nameEn: known.nameEn })
          : getOrgUnit(deps, reader, id).then(
              (u) => ({ name: u.name, nameEn: u.nameEn }),
              () => null,
            );
        units.set(id, p);
      }
      return p;
    },
    compound(id: string) {
      let p = compounds.get(id);
      if (!p) {
        p = getCompound(deps, reader, id).catch(() => null);
        compounds.set(id, p);
      }
      return p;
    },
  };
}

type Names = ReturnType<typeof registryNames>;

/**
 * `address` is always filled: the address the reporter gave; else the place named from the registry, most
 * specific first (compound, community, subdistrict) as the spec asks; else the point itself.
 */
async function addressOf(
  r: PublicReport,
  names: Names,
  lang: Lang,
): Promise<{ address: string; addressId: string | null }> {
  const compound = r.compoundId ? await names.compound(r.compoundId) : null;
  const addressId = compound?.code ?? null;
  if (r.address && r.address.trim() !== '') return { address: r.address.trim(), addressId };
  const place = placeUnits(r.routing);
  const parts: string[] = [];
  if (compound) parts.push(compound.name);
  for (const id of [place.community, place.subdistrict]) {
    const u = id ? await names.unit(id) : null;
    if (u) parts.push(nameIn(u, lang));
  }
  if (parts.length > 0) return { address: parts.join(lang === 'en' ? ', ' : '，'), addressId };
  if (r.lat !== null && r.lng !== null)
    return { address: `${r.lat.toFixed(6)}, ${r.lng.toFixed(6)}`, addressId };
  return { address: r.triageUnit ? nameIn(r.triageUnit, lang) : r.trackingCode, addressId };
}

function mediaUrlOf(r: PublicReport, origin: string): string | null {
  if (r.photoId) return `${origin}${photoUrls(r.photoId).servedUrl}`;
  try {
    const extra = r.extra ? (JSON.parse(r.extra) as { open311?: { mediaUrl?: unknown } }) : null;
    const u = extra?.open311?.mediaUrl;
    return typeof u === 'string' ? u : null;
  } catch {
    return null;
  }
}

const inTriage = (r: PublicReport) =>
  r.case === null ||
  (r.case.responsibleUnitId === null && statusOf(r.case.status, r.case.closedAt) === 'open');

function statusNoteOf(r: PublicReport, lang: Lang): string {
  const status = statusOf(r.case?.status, r.case?.closedAt);
  if (status === 'closed') return say('open311NoteClosed', lang);
  if (inTriage(r)) return say('open311NoteTriage', lang);
  return say('open311NoteInCase', lang, { case: r.case?.code ?? '' });
}

const later = (a: string, b: string | null | undefined) => (b && b > a ? b : a);

/** A stored report as an Open311 service request. */
export async function requestOf(r: PublicReport, names: Names, ctx: PresentContext): Promise<Open311Request> {
  const { lang } = ctx;
  const status = statusOf(r.case?.status, r.case?.closedAt);
  const { address, addressId } = await addressOf(r, names, lang);
  const updated =
    status === 'closed' && r.case?.closedAt ? r.case.closedAt : later(r.receivedAt, r.case?.updatedAt);
  const agency = r.responsibleUnit ?? (inTriage(r) ? r.triageUnit : null);
  return {
    service_request_id: r.trackingCode,
    status,
    status_notes: statusNoteOf(r, lang),
    service_name: r.category ? nameIn(r.category, lang) : lang === 'en' ? 'Not yet classified' : '待分类',
    service_code: r.categoryKey ? serviceCodeOf(r.categoryKey) : UNCLASSIFIED_SERVICE_CODE,
    description:
      DESCRIPTION_PUBLIC_CHANNELS.includes(r.channel) && r.description !== '' ? r.description : null,
    agency_responsible: agency ? nameIn(agency, lang) : null,
    service_notice: null,
    requested_datetime: open311Time(r.receivedAt),
    updated_datetime: open311Time(updated),
    expected_datetime: null, // deadlines come with the case loop (issue 5)
    address,
    address_id: addressId,
    zipcode: null,
    lat: r.lat,
    long: r.lng,
    media_url: mediaUrlOf(r, ctx.origin),
  };
}

async function present(
  deps: Pick<Deps, 'database'>,
  rows: PublicReport[],
  ctx: PresentContext,
): Promise<Open311Request[]> {
  const names = registryNames(deps, ctx.engine);
  const out: Open311Request[] = [];
  for (const r of rows) out.push(await requestOf(r, names, ctx));
  return out;
}

/** GET requests: the spec's filters; newest first; at most 1000 and at most 90 days. */
export async function listRequests(
  deps: Pick<Deps, 'database' | 'clock'>,
  raw: RawParams,
  ctx: PresentContext,
): Promise<Open311Request[]> {
  const q = parseRequestsQuery(raw, deps.clock());
  const rows = await listPublicReports(
    deps.database.db,
    q.ids
      ? {
          channels: OPEN311_CHANNELS,
          trackingCodes: q.ids.map((id) => normalizeTrackingCode(id) ?? id),
          limit: MAX_REQUESTS,
        }
      : {
          channels: OPEN311_CHANNELS,
          ...(q.categoryKeys ? { categoryKeys: q.categoryKeys } : {}),
          ...(q.statuses ? { statuses: q.statuses } : {}),
          receivedFrom: q.window.from.toISOString(),
          receivedTo: q.window.to.toISOString(),
          limit: q.limit,
        },
    TERMINAL_CASE_STATUSES,
  );
  return present(deps, rows, ctx);
}

/** GET requests/{id}: one request by its service_request_id (the tracking code), as a list of one. */
export async function getRequest(
  deps: Pick<Deps, 'database'>,
  id: string,
  ctx: PresentContext,
): Promise<Open311Request[]> {
  const code = normalizeTrackingCode(id);
  const rows =
    code === null
      ? []
      : await listPublicReports(
          deps.database.db,
          { channels: OPEN311_CHANNELS, trackingCodes: [code], limit: 1 },
          TERMINAL_CASE_STATUSES,
        );
  if (rows.length === 0)
    throw new DomainError('NotFound', 'open311RequestUnknown', { field: 'service_request_id', value: id });
  return present(deps, rows, ctx);
}

/**
 * mySociety's GET servicerequestupdates: one update per request whose case changed after the request was
 * received, within start_date..end_date (default the last 90 days). The case loop (issue 5) will keep a
 * history of events; until then the update is the case's latest state, identified by its version.
 */
export async function listUpdates(
  deps: Pick<Deps, 'database' | 'clock'>,
  raw: RawParams,
  ctx: PresentContext,
): Promise<Open311Update[]> {
  const w = parseWindow(raw, deps.clock());
  const rows = await listPublicReports(
    deps.database.db,
    {
      channels: OPEN311_CHANNELS,
      caseUpdatedFrom: w.from.toISOString(),
      caseUpdatedTo: w.to.toISOString(),
      limit: MAX_REQUESTS,
    },
    TERMINAL_CASE_STATUSES,
  );
  return rows
    .filter((r) => r.case !== null && r.case.updatedAt > r.receivedAt)
    .map((r) => ({
      update_id: `${r.trackingCode}-${r.case?.version ?? 1}`,
      service_request_id: r.trackingCode,
      status: statusOf(r.case?.status, r.case?.closedAt),
      updated_datetime: open311Time(r.case?.updatedAt ?? r.receivedAt),
      description: statusNoteOf(r, ctx.lang),
      media_url: null,
    }))
    .sort((a, b) =>
      a.updated_datetime < b.updated_datetime ? -1 : a.updated_datetime > b.updated_datetime ? 1 : 0,
    );
}

/** GET tokens/{token}: the token is the report's id, handed out with the receipt of a POST. */
export async function resolveToken(deps: Pick<Deps, 'database'>, token: string): Promise<Open311Token[]> {
  const unknown = () => new DomainError('NotFound', 'open311TokenUnknown', { field: 'token', value: token });
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(token)) throw unknown();
  try {
    const r = await getReport(deps, open311Reader(), token.toLowerCase());
    if (r.channel !== 'open311') throw unknown();
    return [{ service_request_id: r.trackingCode, token: r.id }];
  } catch (e) {
    if (isDomainError(e) && e.code === 'NotFound') throw unknown();
    throw e;
  }
}

// ---------------------------------------------------------------------------------------------------------
// POST requests
// ---------------------------------------------------------------------------------------------------------

/** A compound named by address_id: its id, or its registry code. */
async function compoundOfAddressId(deps: Pick<Deps, 'database'>, addressId: string): Promise<Compound> {
  const reader = open311Reader();
  const byId = await getCompound(deps, reader, addressId).catch(() => null);
  if (byId) return byId;
  const found = await searchCompounds(deps, reader, { q: addressId, limit: 20 });
  const byCode = found.find((c) => c.code === addressId);
  if (!byCode) throw invalid('open311AddressUnknown', { field: 'address_id', value: addressId });
  return byCode;
}

export interface SubmitContext extends ActionContext {
  lang: Lang;
  /** The client's Idempotency-Key header, when it sent one (not in the spec; honoured when present). */
  idempotencyKey?: string | undefined;
}

function noticeOf(r: SubmitResult, lang: Lang): string {
  if (r.duplicateOf) return say('open311NoticeMerged', lang, { case: r.duplicateOf.caseCode });
  if (r.responsibleUnit) return say('open311NoticeRouted', lang, { unit: nameIn(r.responsibleUnit, lang) });
  return say('open311NoticeTriage', lang, { unit: r.triage ? nameIn(r.triage.unit, lang) : '' });
}

/**
 * POST requests: checks the api_key (403 when bad) and the form (400 naming the field), then hands the
 * report to intake on the `open311` channel: routed, merged with an open case of the same problem or given
 * a new one, and stored in one transaction. The answer carries the tracking code as service_request_id
 * and the report id as token.
 */
export async function submitServiceRequest(
  deps: Deps,
  engine: RoutingEngine,
  apiKey: string | undefined,
  raw: RawParams,
  ctx: Omit<SubmitContext, 'actor'>,
): Promise<Open311Receipt[]> {
  const actor = await open311Submitter(deps, apiKey);
  const f = parseNewServiceRequest(raw);
  let category: Category;
  try {
    category = await categoryOfServiceCode(deps, f.categoryKey);
  } catch (e) {
    if (isDomainError(e) && e.code === 'NotFound')
      throw invalid('open311ServiceUnknown', { field: 'service_code', value: f.categoryKey });
    throw e;
  }
  const compound = f.addressId ? await compoundOfAddressId(deps, f.addressId) : null;
  if (!f.location && !compound) throw invalid('open311AddressOnly', { field: 'lat' });
  if (!f.location && compound && !compound.location)
    throw invalid('open311AddressUnlocated', { field: 'address_id', value: f.addressId });
  const name = reporterName(f.firstName, f.lastName);
  const input: ReportInput = {
    channel: 'open311',
    categoryKey: category.key,
    // intake needs a description; Open311 makes it optional: the service's name stands in.
    description: f.description !== '' ? f.description : category.name,
    location: f.location ? { lng: f.location.lng, lat: f.location.lat, crs: 'wgs84' } : null,
    compoundId: compound?.id ?? null,
    address: f.addressString,
    reporter: name || f.phone ? { name, phone: f.phone } : { anonymous: true },
    extra: {
      open311: {
        ...(f.email ? { email: f.email } : {}),
        ...(f.mediaUrl ? { mediaUrl: f.mediaUrl } : {}),
        ...(f.deviceId ? { deviceId: f.deviceId } : {}),
        ...(f.accountId ? { accountId: f.accountId } : {}),
        ...(f.addressId ? { addressId: f.addressId } : {}),
      },
    },
  };
  const actx: ActionContext = { actor, ...(ctx.requestId ? { requestId: ctx.requestId } : {}) };
  let result: SubmitResult;
  try {
    if (ctx.idempotencyKey !== undefined) {
      if (!isIdempotencyKey(ctx.idempotencyKey))
        throw invalid('open311IdempotencyKey', { field: 'Idempotency-Key' });
      const requestHash = createHash('sha256').update(canonicalJson(input)).digest('hex');
      result = (
        await submitReportIdempotent(deps, engine, actx, input, {
          key: ctx.idempotencyKey,
          principal: `apiKey:${actor.id}`,
          requestHash,
        })
      ).body;
    } else {
      result = await submitReport(deps, engine, actx, input);
    }
  } catch (e) {
    // Intake names its own fields (location.lng …): say it in Open311's terms where they differ.
    if (isDomainError(e) && e.messageKey === 'locationOutsideDistrict')
      throw invalid('open311OutsideDistrict', { field: 'lat', distanceKm: e.details.distanceKm });
    throw e;
  }
  return [
    { service_request_id: result.trackingCode, token: result.id, service_notice: noticeOf(result, ctx.lang) },
  ];
}
