// The case loop's HTTP API as the console and the officer's phone pages read it: the shapes of
// src/cases/cases.service.ts (CaseSummaryView, CaseDetail, EnforcementView) behind src/cases/cases.routes.ts,
// and src/cases/ratings.routes.ts. One function per request, all through the session's ApiClient (which
// carries the CSRF token on writes).
import type { ApiClient } from '../../api/client';
import type { Photo } from '../intake/intake-api';

export const CASE_STEPS = [
  'collect',
  'onSiteCheck',
  'open',
  'dispatch',
  'handle',
  'verify',
  'close',
  'evaluate',
  'ended',
] as const;
export type CaseStep = (typeof CASE_STEPS)[number];
export const CASE_STATUSES = ['active', 'suspended', 'closed', 'rejected', 'declined', 'voided'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];
export const URGENCIES = ['overdue', 'dueSoon', 'later', 'none'] as const;
export type Urgency = (typeof URGENCIES)[number];

export type MoveType =
  | 'accept'
  | 'reject'
  | 'check'
  | 'open'
  | 'decline'
  | 'dispatch'
  | 'dispatchWithin'
  | 'feedback'
  | 'return'
  | 'requestPostpone'
  | 'approvePostpone'
  | 'denyPostpone'
  | 'verify'
  | 'rework'
  | 'close'
  | 'evaluate'
  | 'reopen'
  | 'void'
  | 'suspend'
  | 'resume'
  | 'informReporter';

export type MoveField = 'reason' | 'note' | 'attachments' | 'targetUnitId' | 'extension';

/**
 * The fields each move requires (src/cases/case-loop.ts MOVE_RULES `required`, `minAttachments`); the
 * server refuses a move without them. Moves not listed need nothing.
 */
export const MOVE_REQUIRED: Partial<Record<MoveType, { fields: MoveField[]; minAttachments?: number }>> = {
  reject: { fields: ['reason'] },
  check: { fields: ['note', 'attachments'], minAttachments: 1 },
  decline: { fields: ['reason'] },
  dispatch: { fields: ['targetUnitId'] },
  dispatchWithin: { fields: ['targetUnitId'] },
  feedback: { fields: ['note', 'attachments'], minAttachments: 1 },
  return: { fields: ['reason'] },
  requestPostpone: { fields: ['reason', 'extension'] },
  denyPostpone: { fields: ['reason'] },
  verify: { fields: ['note', 'attachments'], minAttachments: 1 },
  rework: { fields: ['reason'] },
  reopen: { fields: ['reason'] },
  void: { fields: ['reason'] },
  suspend: { fields: ['reason'] },
  informReporter: { fields: ['note'] },
};

/** Moves that end a case badly or undo work: shown as danger buttons. */
export const DANGER_MOVES: ReadonlySet<MoveType> = new Set(['reject', 'decline', 'void', 'rework', 'return']);

export const DURATION_UNITS = ['workday', 'day', 'workhour', 'hour'] as const;
export type DurationUnit = (typeof DURATION_UNITS)[number];
export interface Duration {
  n: number;
  unit: DurationUnit;
}

export interface Deadline {
  /** The last instant inside the period, ISO 8601 with +08:00. */
  due: string;
  from: string;
  rule: Duration;
  /** The legal basis. */
  basis: string;
  suspensions?: { from: string; to: string }[];
}

export interface CaseSummary {
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

export interface FlowRecord {
  seq: number;
  track: 'loop' | 'enforcement';
  step: string;
  move: string;
  toStep: string;
  actorId: string;
  actorName: string | null;
  role: string | null;
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

export interface CaseReport {
  id: string;
  trackingCode: string;
  channel: string;
  description: string;
  address: string | null;
  receivedAt: string;
  reporterName: string | null;
  /** Masked (138****5678) unless the reader triages reports. */
  reporterPhone: string | null;
  anonymous: boolean;
  photos: Photo[];
}

export interface CaseDetail extends CaseSummary {
  parentCategoryKey: string | null;
  areaGrade: string | null;
  underWay: boolean;
  receivedAt: string;
  deadline: Deadline | null;
  reporterDeadline: Deadline | null;
  reporterInformedAt: string | null;
  pendingPostpone: { requestedAt: string; requestedBy: string; extension: Duration; reason: string } | null;
  suspendedAt: string | null;
  closedAt: string | null;
  counts: { dispatch: number; rework: number; return: number; postpone: number; reopen: number };
  timeline: FlowRecord[];
  attachments: Photo[];
  reports: CaseReport[];
  allowedMoves: MoveType[];
  enforcement: { step: string; version: number } | null;
}

export interface CaseQuery {
  status?: CaseStatus;
  step?: CaseStep;
  responsibleUnitId?: string;
  categoryKey?: string;
  channel?: string;
  overdue?: boolean;
  from?: string;
  to?: string;
  cursor?: string;
  limit?: number;
}

export const fetchCases = (api: ApiClient, q: CaseQuery, signal?: AbortSignal) =>
  api.get<{ items: CaseSummary[]; nextCursor: string | null }>('/api/cases', {
    query: { ...q, overdue: q.overdue ? true : undefined, limit: q.limit ?? 50 },
    signal,
  });

export interface CaseMapFeature {
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
export interface CaseMapCollection {
  type: 'FeatureCollection';
  features: CaseMapFeature[];
  truncated: boolean;
}

export const fetchCaseMap = (api: ApiClient, bbox: readonly number[], signal?: AbortSignal) =>
  api.get<CaseMapCollection>('/api/cases/map', { query: { bbox: bbox.join(',') }, signal });

export const fetchCase = (api: ApiClient, id: string, signal?: AbortSignal) =>
  api.get<CaseDetail>(`/api/cases/${encodeURIComponent(id)}`, { signal });

export interface MoveBody {
  type: MoveType;
  expectedVersion: number;
  reason?: string;
  note?: string;
  attachments?: string[];
  targetUnitId?: string;
  extension?: Duration;
  onSiteCheck?: boolean;
  categoryKey?: string;
}

/** POST /api/cases/:id/moves; a stale expectedVersion answers 409 with the current version. */
export const moveCase = (api: ApiClient, id: string, body: MoveBody) =>
  api.post<CaseDetail>(`/api/cases/${encodeURIComponent(id)}/moves`, body);

export const fetchMyTasks = (api: ApiClient, signal?: AbortSignal) =>
  api
    .get<{ items: CaseSummary[] } | CaseSummary[]>('/api/my/tasks', { signal })
    .then((r) => (Array.isArray(r) ? r : r.items));

// ---------------------------------------------------------------------------------------------------------
// Enforcement (执法办案)
// ---------------------------------------------------------------------------------------------------------

export interface EnforcementDocument {
  kind: string;
  attachmentId: string;
  step: string;
  addedAt: string;
  addedBy: string;
}

export interface EnforcementView {
  caseId: string;
  state: { step: string; documents: EnforcementDocument[]; version: number } & Record<string, unknown>;
  version: number;
  dueAt: string | null;
  requiredDocuments: { kind: string; name: string }[];
  missingDocuments: string[];
  allowedMoves: string[];
}

export const fetchEnforcement = (api: ApiClient, caseId: string, signal?: AbortSignal) =>
  api.get<EnforcementView>(`/api/cases/${encodeURIComponent(caseId)}/enforcement`, { signal });

export const addEnforcementDocument = (
  api: ApiClient,
  caseId: string,
  body: { document: string; attachmentId: string; expectedVersion: number; note?: string },
) =>
  api.post<EnforcementView>(`/api/cases/${encodeURIComponent(caseId)}/enforcement/moves`, {
    type: 'addDocument',
    ...body,
  });

// ---------------------------------------------------------------------------------------------------------
// Ratings (src/cases/ratings.routes.ts)
// ---------------------------------------------------------------------------------------------------------

export const RATINGS = ['satisfied', 'basicallySatisfied', 'dissatisfied'] as const;
export type Rating = (typeof RATINGS)[number];

export const rateByTrackingCode = (
  api: ApiClient,
  code: string,
  body: { rating: Rating; comment?: string | null },
) => api.post<{ id: string; rating: Rating }>(`/api/public/track/${encodeURIComponent(code)}/rating`, body);

export interface CaseRating {
  id: string;
  /** The reopen count when rated: one rating per close. */
  round: number;
  rating: Rating;
  comment: string | null;
  source: string;
  ratedAt: string;
}

export const fetchCaseRatings = (api: ApiClient, caseId: string, signal?: AbortSignal) =>
  api
    .get<{ items: CaseRating[] }>(`/api/cases/${encodeURIComponent(caseId)}/ratings`, { signal })
    .then((r) => r.items);

/** The dispatcher records the rating heard on a callback (回访) of a closed case; 409 for a second one. */
export const rateByCallback = (
  api: ApiClient,
  caseId: string,
  body: { rating: Rating; comment?: string | null },
) => api.post<CaseRating>(`/api/cases/${encodeURIComponent(caseId)}/ratings`, body);

/** The steps of an opened case on which the penalty procedure can start (src/cases/cases.service.ts OPENED_STEPS). */
export const ENFORCEMENT_START_STEPS: readonly CaseStep[] = ['dispatch', 'handle', 'verify', 'close'];

/** Starts the penalty procedure on an opened case (it then waits for its filing approval). */
export const startEnforcement = (api: ApiClient, caseId: string) =>
  api.post<EnforcementView>(`/api/cases/${encodeURIComponent(caseId)}/enforcement`, {});
