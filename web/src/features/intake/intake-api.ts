// Intake's HTTP API as the console and the phone pages read it: the shapes of src/intake/reports.routes.ts,
// src/intake/photos.routes.ts and src/routing/routing.routes.ts, one function per request, all through
// ApiClient (reads through the session's).
import { ApiClient, ApiError } from '../../api/client';

export const CHANNELS = [
  'resident',
  'dualReport',
  'patrol',
  'gridWorker',
  'hotline12345',
  'open311',
] as const;
export type Channel = (typeof CHANNELS)[number];
export const REPORT_CRS = ['wgs84', 'gcj02', 'bd09'] as const;
export type ReportCrs = (typeof REPORT_CRS)[number];
export const REPORT_STATUS_FILTERS = ['triage', 'open', 'closed'] as const;
export type ReportStatusFilter = (typeof REPORT_STATUS_FILTERS)[number];
export const TRIAGE_REASONS = ['outsideDistrict', 'noCategory', 'noRule', 'targetUnresolved'] as const;
/** The server's limits (src/intake/reports.ts). */
export const DESCRIPTION_MAX = 4000;
export const PHOTOS_MAX = 9;
export const REPORTER_NAME_MAX = 100;
export const ADDRESS_MAX = 500;

export interface UnitName {
  id: string;
  name: string;
  nameEn: string | null;
}
export interface CategoryName {
  key: string;
  name: string;
  nameEn: string | null;
}
export interface Point {
  lng: number;
  lat: number;
}

/** What POST /api/reports answers (and what an idempotent retry replays). */
export interface SubmitResult {
  id: string;
  trackingCode: string;
  status: string;
  receivedAt: string;
  responsibleUnit: UnitName | null;
  triage: { unit: UnitName; reason: string } | null;
  caseId: string;
  caseCode: string;
  duplicateOf?: { caseId: string; caseCode: string; distanceM: number };
}

export interface ReportView {
  id: string;
  trackingCode: string;
  channel: string;
  sourceTicketId: string | null;
  status: string;
  category: CategoryName | null;
  description: string;
  /** WGS-84, as routed. */
  location: Point | null;
  /** As the reporter sent it. */
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

/** One layer's cell at the report's point, as stored with the report at receipt. */
export interface RoutedCell {
  layer: string;
  version: number;
  versionId: string;
  code: string;
  unitId: string | null;
}

/** The Resolution the report was routed with (src/routing/routing.service.ts), as far as the UI reads it. */
export interface StoredRouting {
  point?: Point;
  cells?: RoutedCell[];
  missingLayers?: string[];
  responsible?: { unitId: string; ruleId: string; rule: string; assisting: string[] } | null;
  triage?: { unitId: string; reason: string; ruleId: string | null } | null;
}

export interface ReportDetail extends ReportView {
  routing: unknown;
  extra: Record<string, unknown> | null;
  caseReportIds: string[];
  /** The report's own photos, oldest first. */
  photos: Photo[];
}

/** The stored routing, read defensively: the server types it `unknown`. */
export function routingOf(detail: ReportDetail): StoredRouting {
  const r = detail.routing;
  if (typeof r !== 'object' || r === null) return {};
  const cells = (r as { cells?: unknown }).cells;
  return {
    ...(r as StoredRouting),
    cells: Array.isArray(cells) ? (cells as RoutedCell[]) : [],
  };
}

export interface NearbyCase {
  caseId: string;
  caseCode: string;
  category: CategoryName | null;
  location: Point;
  distanceM: number;
  openedAt: string;
  reports: number;
}

export interface TrackingView {
  trackingCode: string;
  status: string;
  receivedAt: string;
  category: CategoryName | null;
  caseCode: string | null;
  replies: Array<{ at: string; text: string }>;
}

export interface Photo {
  id: string;
  sha256: string;
  servedUrl: string;
  thumbUrl: string;
  mime: string;
  bytes: number;
  width: number | null;
  height: number | null;
}

export interface Resolution {
  point: Point;
  cells: RoutedCell[];
  missingLayers: string[];
  responsible: { unitId: string; ruleId: string; rule: string; assisting: string[] } | null;
  triage: { unitId: string; reason: string; ruleId: string | null } | null;
  units: Record<string, { code: string; kind: string; name: string; nameEn: string | null }>;
}

// ---------------------------------------------------------------------------------------------------------
// Submitting
// ---------------------------------------------------------------------------------------------------------

export interface ReportBody {
  channel: Channel;
  categoryKey?: string | null;
  description: string;
  location?: { lng: number; lat: number; crs: ReportCrs; accuracy?: number | null } | null;
  compoundId?: string | null;
  address?: string | null;
  observedAt?: string | null;
  photoIds?: string[];
  reporter?: { name?: string | null; phone?: string | null; anonymous?: boolean } | null;
}

/**
 * A key for Idempotency-Key. crypto.randomUUID exists only in secure contexts (https, localhost); a phone
 * reaching the server over plain http on an intranet gets a v4 UUID from getRandomValues instead.
 */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function' && globalThis.isSecureContext !== false)
    return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x40;
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
  const hex = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Network failures and answers that say "try again" (the request may or may not have arrived). */
export const isRetryable = (e: unknown): boolean =>
  e instanceof ApiError &&
  (e.code === 'NetworkError' || e.status === 502 || e.status === 503 || e.status === 504);

/**
 * Who writes: the console's language and, for a signed-in session, its CSRF token. ApiClient has no
 * option for extra request headers or a multipart body, so intake's two writes that need them (the
 * Idempotency-Key, the photo upload) go through an ApiClient of their own whose fetch adds them; its error
 * handling is ApiClient's.
 */
export interface WriteContext {
  language: string;
  csrfToken: string | null;
}

function adaptedClient(ctx: WriteContext, adapt: (init: RequestInit) => RequestInit): ApiClient {
  const client = new ApiClient({
    getLanguage: () => ctx.language,
    fetchImpl: (input, init) => fetch(input, adapt(init ?? {})),
  });
  client.setCsrfToken(ctx.csrfToken);
  return client;
}

export interface SubmitOptions {
  /** Attempts in all (default 4): the first and up to three retries with the same key and body. */
  attempts?: number;
  /** Called before each retry, with its number (1, 2, …). */
  onRetry?: (attempt: number) => void;
  /** For tests. */
  sleep?: (ms: number) => Promise<void>;
}

/**
 * POST /api/reports with an Idempotency-Key, retried on network errors with the same key and the same body:
 * the server answers a retry of a report it already has with the first answer, so a bad network never
 * makes a second report. Any answer from the server other than "unavailable" is final.
 */
export async function submitReport(
  ctx: WriteContext,
  body: ReportBody,
  idempotencyKey: string,
  options: SubmitOptions = {},
): Promise<SubmitResult> {
  const client = adaptedClient(ctx, (init) => ({
    ...init,
    headers: { ...(init.headers as Record<string, string>), 'Idempotency-Key': idempotencyKey },
  }));
  const attempts = options.attempts ?? 4;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  for (let attempt = 1; ; attempt++) {
    try {
      return await client.post<SubmitResult>('/api/reports', body);
    } catch (e) {
      if (!isRetryable(e) || attempt >= attempts) throw e;
      options.onRetry?.(attempt);
      await sleep(Math.min(8000, 1000 * 2 ** (attempt - 1)));
    }
  }
}

/** POST /api/photos: multipart with the file in the field `photo` (anonymous residents too). */
export function uploadPhoto(
  ctx: WriteContext,
  file: Blob,
  filename: string,
  signal?: AbortSignal,
): Promise<Photo> {
  const form = new FormData();
  form.append('photo', file, filename);
  // Posted without a JSON body, so ApiClient sets no Content-Type; the browser writes the multipart one.
  const client = adaptedClient(ctx, (init) => ({ ...init, body: form }));
  return client.post<Photo>('/api/photos', undefined, { ...(signal ? { signal } : {}) });
}

export const photoThumbUrl = (id: string) => `/api/photos/${encodeURIComponent(id)}/thumb`;
export const photoUrl = (id: string) => `/api/photos/${encodeURIComponent(id)}`;

// ---------------------------------------------------------------------------------------------------------
// Public reads
// ---------------------------------------------------------------------------------------------------------

export const fetchNearby = (
  api: ApiClient,
  q: { lng: number; lat: number; crs: ReportCrs; category?: string; radius?: number },
  signal?: AbortSignal,
) =>
  api
    .get<{ items: NearbyCase[] }>('/api/reports/nearby', {
      query: { lng: q.lng, lat: q.lat, crs: q.crs, category: q.category, radius: q.radius },
      signal,
    })
    .then((r) => r.items);

export const fetchTracking = (api: ApiClient, code: string, signal?: AbortSignal) =>
  api.get<TrackingView>(`/api/track/${encodeURIComponent(code)}`, { signal });

/** What following an open case answers (src/cases/followers.*): the follower's own tracking code. */
export interface FollowResult {
  trackingCode: string;
  caseCode: string;
  status: string;
}

/**
 * POST /api/public/cases/:caseId/follow: a resident follows an open case instead of reporting it again
 * (no sign-in; name and phone optional, for a call back). Answers a tracking code like a submission.
 */
export const followCase = (api: ApiClient, caseId: string, body: { name?: string; phone?: string }) =>
  api.post<FollowResult>(`/api/public/cases/${encodeURIComponent(caseId)}/follow`, body);

// ---------------------------------------------------------------------------------------------------------
// Staff reads and decisions
// ---------------------------------------------------------------------------------------------------------

export interface ReportQuery {
  channel?: Channel;
  status?: ReportStatusFilter;
  from?: string;
  to?: string;
  limit?: number;
  cursor?: string;
}

export const fetchReports = (api: ApiClient, q: ReportQuery, signal?: AbortSignal) =>
  api.get<{ items: ReportView[]; nextCursor: string | null }>('/api/reports', {
    query: { ...q, limit: q.limit ?? 100 },
    signal,
  });

export const fetchTriage = (api: ApiClient, signal?: AbortSignal) =>
  api
    .get<{ items: ReportView[] }>('/api/reports/triage', { query: { limit: 500 }, signal })
    .then((r) => r.items);

export const fetchReport = (api: ApiClient, id: string, signal?: AbortSignal) =>
  api.get<ReportDetail>(`/api/reports/${encodeURIComponent(id)}`, { signal });

export const assignReport = (
  api: ApiClient,
  id: string,
  body: { categoryKey?: string | null; unitId: string; version?: number },
) => api.post<ReportDetail>(`/api/reports/${encodeURIComponent(id)}/assign`, body);

export const splitReport = (api: ApiClient, id: string) =>
  api.post<ReportDetail>(`/api/reports/${encodeURIComponent(id)}/split`);

export const resolvePoint = (
  api: ApiClient,
  q: { lng: number; lat: number; crs: ReportCrs; category?: string },
  signal?: AbortSignal,
) => api.get<Resolution>('/api/routing/resolve', { query: q, signal });

// ---------------------------------------------------------------------------------------------------------
// Categories: the registry's list for staff; for anonymous residents the public Open311 service list
// ---------------------------------------------------------------------------------------------------------

/** A category as the pickers need it. */
export interface CategoryOption {
  key: string;
  name: string;
  nameEn: string | null;
  majorName: string | null;
}

interface RegistryCategory {
  key: string;
  name: string;
  nameEn: string;
  majorName: string;
  majorNameEn: string | null;
  active: boolean;
}

export const fetchStaffCategories = (api: ApiClient, signal?: AbortSignal) =>
  api
    .get<{ items: RegistryCategory[] }>('/api/categories', { query: { limit: 5000 }, signal })
    .then((r) =>
      r.items
        .filter((c) => c.active)
        .map((c): CategoryOption => ({ key: c.key, name: c.name, nameEn: c.nameEn, majorName: c.majorName })),
    );

interface Open311Service {
  service_code: string;
  service_name: string;
  group?: string;
}

/** 'event06001' → 'event:06001' (src/open311/open311.ts categoryKeyOfServiceCode); null for anything else. */
export function categoryKeyOfServiceCode(code: string): string | null {
  const m = /^(component|event):?(\d{5})$/.exec(code.trim());
  return m ? `${m[1]}:${m[2]}` : null;
}

/**
 * GET /api/categories needs a signed-in user, so an anonymous resident reads the same active categories
 * from the public Open311 service list (one service per category, named in the request's language).
 */
export const fetchPublicCategories = (api: ApiClient, language: string, signal?: AbortSignal) =>
  api.get<Open311Service[]>('/open311/v2/services.json', { signal }).then((list) =>
    list.flatMap((s): CategoryOption[] => {
      const key = categoryKeyOfServiceCode(s.service_code);
      return key
        ? [
            {
              key,
              name: s.service_name,
              nameEn: language === 'en' ? s.service_name : null,
              majorName: s.group ?? null,
            },
          ]
        : [];
    }),
  );
