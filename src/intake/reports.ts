/**
 * Reports (上报 / 诉求 / 投诉) from every channel, the rules: the channels and who may use them, field checks,
 * tracking and case codes, the duplicate rule (same category, near in space and time, open case), and the
 * canonical form of a request body for idempotency. Pure: no I/O, no clock (a `now` is passed in), random
 * bytes are handed in.
 */
import type { Permission } from '../access/roles.js';

// ---------------------------------------------------------------------------------------------------------
// Channels, statuses, settings
// ---------------------------------------------------------------------------------------------------------

/** The channels of GLOSSARY.md that submit reports here (`inspection` comes with the case loop). */
export const CHANNELS = [
  'resident',
  'dualReport',
  'patrol',
  'gridWorker',
  'hotline12345',
  'open311',
] as const;
export type Channel = (typeof CHANNELS)[number];
export const isChannel = (v: string): v is Channel => (CHANNELS as readonly string[]).includes(v);

/**
 * Who may submit on a channel. `resident` is open to anyone, signed in or not (anonymous residents are
 * allowed); staff channels need the permission below, and patrol / grid-worker findings a signed-in user.
 */
export const CHANNEL_PERMISSION: Record<Channel, Permission | null> = {
  resident: null,
  dualReport: 'dualReport:create',
  patrol: 'reports:create',
  gridWorker: 'reports:create',
  hotline12345: 'reports:import',
  open311: 'open311:submit',
};
/** Channels whose reports come from a signed-in member of staff, never from a machine or a resident. */
export const STAFF_CHANNELS: readonly Channel[] = ['patrol', 'gridWorker'];

/** The coordinate systems a point may be given in; GCJ-02 is the default (WeChat mini programs use it). */
export const REPORT_CRS = ['wgs84', 'gcj02', 'bd09'] as const;
export type ReportCrs = (typeof REPORT_CRS)[number];
export const DEFAULT_CRS: ReportCrs = 'gcj02';

/**
 * The status a report shows: `triage` while its case has no responsible unit (a dispatcher must decide),
 * `open` while the case still awaits work, `closed` once nothing more will be done.
 */
export type ReportStatus = 'triage' | 'open' | 'closed';
export const REPORT_STATUS_FILTERS = ['triage', 'open', 'closed'] as const;

/**
 * Case statuses (src/cases/case-loop.ts CASE_STATUSES) under which the case still awaits work; every other
 * one (closed, rejected, declined, voided) is the end. 'open' is what intake wrote before the loop existed.
 */
export const OPEN_CASE_STATUSES: readonly string[] = ['active', 'suspended', 'open'];
export const isOpenCaseStatus = (status: string): boolean => OPEN_CASE_STATUSES.includes(status);

export const reportStatusOf = (
  c: { status: string; responsibleUnitId: string | null } | null,
): ReportStatus =>
  c === null || (isOpenCaseStatus(c.status) && c.responsibleUnitId === null)
    ? 'triage'
    : isOpenCaseStatus(c.status)
      ? 'open'
      : 'closed';

/** The knobs of intake; the defaults are those of issue 4. */
export interface IntakeSettings {
  /** A report this close (metres) to an open case of its category joins it. */
  duplicateDistanceM: number;
  /** … when the case was opened at most this many hours before. */
  duplicateWindowHours: number;
  /**
   * A point outside the district but at most this far (metres) from the district's bounding box is kept
   * for the bureau's triage queue (a report from across the street at the district's edge); farther away it
   * is refused as a wrong coordinate system or wrong coordinates.
   */
  outsideToleranceM: number;
  /** How far in the future (ms) an observedAt may lie: phone clocks run a little fast. */
  clockSkewMs: number;
  /** The radius (metres) of GET /api/reports/nearby when the caller gives none. */
  nearbyRadiusM: number;
}

export const DEFAULT_INTAKE_SETTINGS: IntakeSettings = {
  duplicateDistanceM: 50,
  duplicateWindowHours: 72,
  outsideToleranceM: 2000,
  clockSkewMs: 5 * 60_000,
  nearbyRadiusM: 200,
};

// ---------------------------------------------------------------------------------------------------------
// Field checks
// ---------------------------------------------------------------------------------------------------------

export const DESCRIPTION_MAX = 4000;
export const ADDRESS_MAX = 500;
export const REPORTER_NAME_MAX = 100;
export const PHOTOS_MAX = 9;
export const ACCURACY_MAX_M = 100_000;
export const TICKET_ID_MAX = 100;
export const IDEMPOTENCY_KEY_MAX = 100;

/** One thing wrong with one field: the field, a message key of reports.messages.ts, and why. */
export interface FieldProblem {
  field: string;
  key: string;
  reason: string;
  value?: string;
}

const problem = (field: string, key: string, reason: string, value?: unknown): FieldProblem =>
  value === undefined || value === null
    ? { field, key, reason }
    : { field, key, reason, value: String(value) };

/** Mobile or landline, optionally with + and dashes: 13812345678, 021-64123456, +8613812345678, 12345. */
export const REPORTER_PHONE = /^\+?[0-9][0-9-]{4,19}$/;
/** ISO-8601 date-time with an explicit offset or Z: a time without a zone is ambiguous and refused. */
const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** The fields of a report as the rules check them (after trimming). */
export interface ReportDraft {
  channel: Channel;
  description: string;
  address: string | null;
  observedAt: string | null;
  reporterName: string | null;
  reporterPhone: string | null;
  photoIds: readonly string[];
  accuracyM: number | null;
}

/** Trims a text; blank becomes null. */
export const cleanText = (v: string | null | undefined): string | null => {
  const t = v?.trim();
  return t ? t : null;
};

/** Parses an instant with its zone; undefined when it is not one. */
export function parseInstant(text: string): Date | undefined {
  if (!ISO_WITH_ZONE.test(text)) return undefined;
  const d = new Date(text);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/** Problems of an observation time: it needs a zone and may not lie in the future beyond the skew. */
export function observedAtProblem(
  field: string,
  text: string,
  now: Date,
  skewMs: number,
): FieldProblem | null {
  const d = parseInstant(text);
  if (!d) return problem(field, 'instantFormat', 'format', text);
  if (d.getTime() > now.getTime() + skewMs) return problem(field, 'instantInFuture', 'future', text);
  if (d.getUTCFullYear() < 2000) return problem(field, 'instantTooOld', 'tooOld', text);
  return null;
}

/** Every problem of a report's own fields (references — category, compound, photos — are checked by the service). */
export function checkReport(
  d: ReportDraft,
  now: Date,
  settings: Pick<IntakeSettings, 'clockSkewMs'>,
): FieldProblem[] {
  const out: FieldProblem[] = [];
  if (d.description.trim() === '') out.push(problem('description', 'fieldRequired', 'required'));
  else if ([...d.description].length > DESCRIPTION_MAX)
    out.push(problem('description', 'fieldTooLong', 'tooLong', DESCRIPTION_MAX));
  if (d.address !== null && [...d.address].length > ADDRESS_MAX)
    out.push(problem('address', 'fieldTooLong', 'tooLong', ADDRESS_MAX));
  if (d.reporterName !== null && [...d.reporterName].length > REPORTER_NAME_MAX)
    out.push(problem('reporter.name', 'fieldTooLong', 'tooLong', REPORTER_NAME_MAX));
  if (d.reporterPhone !== null && !REPORTER_PHONE.test(d.reporterPhone))
    out.push(problem('reporter.phone', 'phoneInvalid', 'format', d.reporterPhone));
  if (d.observedAt !== null) {
    const p = observedAtProblem('observedAt', d.observedAt, now, settings.clockSkewMs);
    if (p) out.push(p);
  }
  if (d.photoIds.length > PHOTOS_MAX) out.push(problem('photoIds', 'tooManyPhotos', 'tooMany', PHOTOS_MAX));
  if (new Set(d.photoIds).size !== d.photoIds.length)
    out.push(problem('photoIds', 'photoRepeated', 'duplicate'));
  if (d.accuracyM !== null && !(d.accuracyM >= 0 && d.accuracyM <= ACCURACY_MAX_M))
    out.push(problem('location.accuracy', 'accuracyRange', 'range', d.accuracyM));
  return out;
}

/**
 * Text fields holding a NUL character: PostgreSQL cannot store one in text (and no person types one), so it
 * is refused as bad input before it reaches either database.
 */
export function nulProblems(
  fields: Record<string, string | null | undefined | readonly string[]>,
): FieldProblem[] {
  const out: FieldProblem[] = [];
  for (const [field, v] of Object.entries(fields)) {
    const values = typeof v === 'string' ? [v] : Array.isArray(v) ? (v as readonly string[]) : [];
    if (values.some((x) => x.includes('\u0000'))) out.push(problem(field, 'fieldControlCharacter', 'nul'));
  }
  return out;
}

/** Problems of a point as given: finite degrees, within the world. */
export function coordinateProblems(lng: number, lat: number): FieldProblem[] {
  const out: FieldProblem[] = [];
  if (!Number.isFinite(lng) || lng < -180 || lng > 180)
    out.push(problem('location.lng', 'coordinateRange', 'range', lng));
  if (!Number.isFinite(lat) || lat < -90 || lat > 90)
    out.push(problem('location.lat', 'coordinateRange', 'range', lat));
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Tracking codes and case codes
// ---------------------------------------------------------------------------------------------------------

/** Crockford's base32: no I, L, O, U, so nothing reads as 1, 0 or a rude word by accident. */
export const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const TRACKING_CODE_LENGTH = 10;

const valueOf = (c: string): number => CROCKFORD.indexOf(c);

/**
 * The check character of a tracking code's body: Σ (i+1)·value mod 31, as a Crockford symbol. 31 is prime
 * and every weight is below it, so a single wrong character and a swap of two neighbours are caught except
 * between 0 and Z (values 0 and 31, equal mod 31). No extra check symbols (Crockford's * ~ $ = U) are
 * needed, so the code stays URL-safe and easy to say on the phone.
 */
export function trackingCheckChar(body: string): string {
  let sum = 0;
  for (let i = 0; i < body.length; i++) sum += (i + 1) * valueOf(body.charAt(i));
  return CROCKFORD.charAt(sum % 31);
}

/** A tracking code from random bytes (at least 9): 9 random Crockford symbols (45 bits) and the check char. */
export function makeTrackingCode(random: Uint8Array): string {
  if (random.length < TRACKING_CODE_LENGTH - 1) throw new Error('makeTrackingCode: need 9 random bytes');
  let body = '';
  for (let i = 0; i < TRACKING_CODE_LENGTH - 1; i++) body += CROCKFORD.charAt((random[i] ?? 0) & 31);
  return body + trackingCheckChar(body);
}

/**
 * A tracking code as a person types it, normalised (upper case; I and L → 1, O → 0; spaces and dashes
 * dropped), or null when it is not a well-formed code with the right check character.
 */
export function normalizeTrackingCode(input: string): string | null {
  const s = input.toUpperCase().replace(/[\s-]/g, '').replace(/[IL]/g, '1').replace(/O/g, '0');
  if (s.length !== TRACKING_CODE_LENGTH || [...s].some((c) => valueOf(c) < 0)) return null;
  const body = s.slice(0, -1);
  return trackingCheckChar(body) === s.slice(-1) ? s : null;
}

/** The calendar date in Shanghai (UTC+8, no daylight saving) as YYYYMMDD. */
export const shanghaiDate = (now: Date): string =>
  new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10).replace(/-/g, '');

/** A case code: the Shanghai date it was opened and 6 random Crockford symbols, e.g. 20261129-4K7QXM. */
export function makeCaseCode(now: Date, random: Uint8Array): string {
  let tail = '';
  for (let i = 0; i < 6; i++) tail += CROCKFORD.charAt((random[i] ?? 0) & 31);
  return `${shanghaiDate(now)}-${tail}`;
}

// ---------------------------------------------------------------------------------------------------------
// Distances and duplicates
// ---------------------------------------------------------------------------------------------------------

export interface Point {
  lng: number;
  lat: number;
}

const EARTH_RADIUS_M = 6_371_008.8; // mean radius (IUGG)
const rad = (d: number) => (d * Math.PI) / 180;

/** Great-circle distance in metres (haversine); exact enough at city scale (< 0.5 % error). */
export function haversineM(a: Point, b: Point): number {
  const dLat = rad(b.lat - a.lat);
  const dLng = rad(b.lng - a.lng);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

export interface Box {
  minLng: number;
  minLat: number;
  maxLng: number;
  maxLat: number;
}

/** A box that holds every point within `radiusM` of `p` (a prefilter; the exact test is haversine). */
export function boxAround(p: Point, radiusM: number): Box {
  const dLat = (radiusM / EARTH_RADIUS_M) * (180 / Math.PI);
  const cos = Math.max(Math.cos(rad(p.lat)), 1e-6);
  const dLng = dLat / cos;
  // A little margin so the box never cuts off a point the haversine test would keep.
  const m = 1.001;
  return {
    minLng: p.lng - dLng * m,
    minLat: p.lat - dLat * m,
    maxLng: p.lng + dLng * m,
    maxLat: p.lat + dLat * m,
  };
}

/** Metres from a point to the nearest point of a box; 0 inside it. */
export function distanceToBoxM(p: Point, b: Box): number {
  const lng = Math.min(Math.max(p.lng, b.minLng), b.maxLng);
  const lat = Math.min(Math.max(p.lat, b.minLat), b.maxLat);
  return lng === p.lng && lat === p.lat ? 0 : haversineM(p, { lng, lat });
}

/** An open case that might be the same problem. */
export interface CaseCandidate {
  id: string;
  code: string;
  categoryKey: string | null;
  lng: number | null;
  lat: number | null;
  openedAt: string;
  status: string;
  responsibleUnitId: string | null;
}

export interface DuplicateMatch {
  caseId: string;
  caseCode: string;
  distanceM: number;
  /** The joined case's status and responsible unit, for the answer to the reporter. */
  status: string;
  responsibleUnitId: string | null;
}

/**
 * The open case a report joins: same category, at most `duplicateDistanceM` away, opened within the window
 * before `now` (and not after it). The nearest wins; on equal distance the earlier case, then the smaller id.
 */
export function pickDuplicate(
  report: { categoryKey: string; point: Point },
  candidates: readonly CaseCandidate[],
  now: Date,
  s: Pick<IntakeSettings, 'duplicateDistanceM' | 'duplicateWindowHours'>,
): DuplicateMatch | null {
  const from = now.getTime() - s.duplicateWindowHours * 3600_000;
  let best: { c: CaseCandidate; d: number } | null = null;
  for (const c of candidates) {
    if (!isOpenCaseStatus(c.status) || c.categoryKey !== report.categoryKey || c.lng === null || c.lat === null)
      continue;
    const opened = Date.parse(c.openedAt);
    if (!(opened >= from && opened <= now.getTime())) continue;
    const d = haversineM(report.point, { lng: c.lng, lat: c.lat });
    if (d > s.duplicateDistanceM) continue;
    if (
      !best ||
      d < best.d ||
      (d === best.d && (c.openedAt < best.c.openedAt || (c.openedAt === best.c.openedAt && c.id < best.c.id)))
    )
      best = { c, d };
  }
  return (
    best && {
      caseId: best.c.id,
      caseCode: best.c.code,
      distanceM: Math.round(best.d * 10) / 10,
      status: best.c.status,
      responsibleUnitId: best.c.responsibleUnitId,
    }
  );
}

// ---------------------------------------------------------------------------------------------------------
// Idempotency
// ---------------------------------------------------------------------------------------------------------

/** Idempotency keys: 1–100 visible ASCII characters (RFC 9110 field value, no spaces at the ends). */
export const isIdempotencyKey = (k: string): boolean =>
  k.length >= 1 && k.length <= IDEMPOTENCY_KEY_MAX && /^[\x21-\x7e]([\x20-\x7e]*[\x21-\x7e])?$/.test(k);

/**
 * A value as canonical JSON: object keys sorted, no whitespace, undefined members left out. Two bodies that
 * mean the same (keys in another order) give the same text, so the same hash.
 */
export function canonicalJson(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null';
  if (Array.isArray(v)) return `[${v.map((x) => (x === undefined ? 'null' : canonicalJson(x))).join(',')}]`;
  const entries = Object.entries(v as Record<string, unknown>)
    .filter(([, x]) => x !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${canonicalJson(x)}`).join(',')}}`;
}

// ---------------------------------------------------------------------------------------------------------
// Listing cursors
// ---------------------------------------------------------------------------------------------------------

/** A position in a newest-first listing: the last item's received time and id. */
export interface Cursor {
  receivedAt: string;
  id: string;
}

export const encodeCursor = (c: Cursor): string =>
  Buffer.from(`${c.receivedAt}|${c.id}`, 'utf8').toString('base64url');

/** The cursor of a `cursor=` parameter, or null when it is not one of ours. */
export function decodeCursor(s: string): Cursor | null {
  const text = Buffer.from(s, 'base64url').toString('utf8');
  const m = /^(\d{4}-\d{2}-\d{2}T[\d:.]+Z)\|([0-9a-f-]{36})$/.exec(text);
  return m ? { receivedAt: m[1] as string, id: m[2] as string } : null;
}
