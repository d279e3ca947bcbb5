// The bureau's case rules and the alert inbox as the console reads them: the shapes of
// src/cases/case-rules.routes.ts (time limits, the working-day calendar, deadlines on it) and
// src/cases/alerts.routes.ts. One function per request, all through the session's ApiClient.
import type { ApiClient } from '../../api/client';
import type { DurationUnit } from './cases-api';

/** src/cases/time-limits.ts LIMIT_STEPS: the loop's steps plus the periods that run beside it. */
export const LIMIT_STEPS = [
  'collect',
  'onSiteCheck',
  'onSiteCheckUnderWay',
  'open',
  'dispatch',
  'handle',
  'verify',
  'close',
  'evaluate',
  'reporterFeedback',
  'transfer',
  'assistReply',
] as const;
export type LimitStep = (typeof LIMIT_STEPS)[number];
export const AREA_GRADES = ['*', 'A', 'B', 'C'] as const;
export type AreaGradeOrAll = (typeof AREA_GRADES)[number];
/** Where an entry comes from, weakest first (src/cases/case-rules.ts TIME_LIMIT_ORIGINS). */
export const TIME_LIMIT_ORIGINS = ['default', 'category', 'bureau'] as const;
export type TimeLimitOrigin = (typeof TIME_LIMIT_ORIGINS)[number];

export interface TimeLimitRule {
  n: number;
  unit: DurationUnit;
  basis: string;
}

export interface TimeLimitEntry {
  /** '*', a category key ('event:06010') or a major class key ('event:06'). */
  scope: string;
  grade: string;
  step: string;
  rule: TimeLimitRule;
  origin: TimeLimitOrigin;
  /** What the entry shadows: what a revert falls back to. */
  replaces: { origin: TimeLimitOrigin; rule: TimeLimitRule } | null;
  bureau: { id: string; version: number; updatedAt: string; updatedBy: string | null } | null;
}

export const fetchTimeLimits = (api: ApiClient, signal?: AbortSignal) =>
  api.get<{ items: TimeLimitEntry[] }>('/api/time-limits', { signal }).then((r) => r.items);

export interface TimeLimitBody {
  scope: string;
  grade: string;
  step: string;
  n: number;
  unit: DurationUnit;
  basis: string;
  /** The bureau entry's version the editor read; a stale one answers 409. */
  version?: number;
}

export const putTimeLimit = (api: ApiClient, body: TimeLimitBody) =>
  api.put<TimeLimitEntry>('/api/time-limits', body);

/** Deletes the bureau's entry; answers the entry in effect afterwards (category or default), or null. */
export const deleteTimeLimit = (api: ApiClient, key: { scope: string; grade: string; step: string }) =>
  api.delete<{ inEffect: TimeLimitEntry | null }>('/api/time-limits', { query: key });

export const CALENDAR_DAY_KINDS = ['holiday', 'workday'] as const;
export type CalendarDayKind = (typeof CALENDAR_DAY_KINDS)[number];

export interface CalendarDay {
  date: string;
  kind: CalendarDayKind;
  name: string | null;
  origin: 'library' | 'bureau';
}

export interface CalendarYear {
  year: number;
  /** The calendar knows the year: from the library or a declared override table. */
  known: boolean;
  /** The bureau declared its override table complete for the year. */
  declared: boolean;
  note: string | null;
  days: CalendarDay[];
}

export const fetchCalendarYear = (api: ApiClient, year: number, signal?: AbortSignal) =>
  api.get<CalendarYear>('/api/calendar', { query: { year }, signal });

export const putCalendarDay = (
  api: ApiClient,
  date: string,
  body: { kind: CalendarDayKind; name?: string | null },
) => api.put<CalendarDay>(`/api/calendar/days/${encodeURIComponent(date)}`, body);

export const deleteCalendarDay = (api: ApiClient, date: string) =>
  api.delete<unknown>(`/api/calendar/days/${encodeURIComponent(date)}`);

export const declareCalendarYear = (api: ApiClient, year: number, note: string | null) =>
  api.put<CalendarYear>(`/api/calendar/years/${year}`, { note });

export const withdrawCalendarYear = (api: ApiClient, year: number) =>
  api.delete<CalendarYear>(`/api/calendar/years/${year}`);

export interface ComputedDeadline {
  due: string;
  from: string;
  rule: { n: number; unit: DurationUnit };
  basis: string;
}

/** The due instant of n units from `from` (ISO 8601 with a zone); 422 DeadlineUnknown for an unknown year. */
export const computeDeadline = (
  api: ApiClient,
  q: { from: string; add: number; unit: DurationUnit },
  signal?: AbortSignal,
) => api.get<ComputedDeadline>('/api/calendar/deadline', { query: q, signal });

// ---------------------------------------------------------------------------------------------------------
// Alerts (src/cases/alerts.routes.ts)
// ---------------------------------------------------------------------------------------------------------

/** src/cases/alerts.ts ALERT_KINDS plus the satisfaction rules' 'dissatisfied'. */
export const ALERT_KINDS = [
  'warn',
  'overdue',
  'escalateLeader',
  'escalateBureau',
  'reporterWarn',
  'reporterOverdue',
  'deliveryAckWarn',
  'deliveryAckOverdue',
  'deliveryOnSiteWarn',
  'deliveryOnSiteOverdue',
  'enforcementWarn',
  'enforcementOverdue',
  'enforcementPartyDue',
  'dissatisfied',
] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

export interface CaseAlert {
  id: string;
  kind: string;
  /** The kind in the caller's language, from the server. */
  kindLabel: string;
  caseId: string;
  caseCode: string;
  caseStep: string;
  caseStatus: string;
  /** False once the case has a new deadline: the alert is history. */
  current: boolean;
  unit: { id: string; name: string };
  role: string | null;
  message: string;
  dueAt: string | null;
  createdAt: string;
  readAt: string | null;
}

export interface AlertQuery {
  kind?: AlertKind;
  unread?: boolean;
  limit?: number;
  offset?: number;
}

export const fetchAlerts = (api: ApiClient, q: AlertQuery, signal?: AbortSignal) =>
  api.get<{ items: CaseAlert[]; unread: number }>('/api/alerts', {
    query: {
      ...(q.kind ? { kind: q.kind } : {}),
      ...(q.unread === undefined ? {} : { unread: String(q.unread) }),
      limit: q.limit ?? 50,
      offset: q.offset ?? 0,
    },
    signal,
  });

export const markAlertRead = (api: ApiClient, id: string) =>
  api.post<{ id: string; readAt: string }>(`/api/alerts/${encodeURIComponent(id)}/read`);

// ---------------------------------------------------------------------------------------------------------
// Satisfaction rate (src/cases/ratings.routes.ts GET /api/ratings/rate)
// ---------------------------------------------------------------------------------------------------------

/** src/cases/ratings.ts RATING_GROUPINGS, in the order the page offers them. */
export const RATING_GROUPINGS = ['month', 'unit', 'category'] as const;
export type RatingGrouping = (typeof RATING_GROUPINGS)[number];

export interface SatisfactionGroup {
  /** The unit id, category key or month (YYYY-MM, Shanghai); null for ratings without a unit or category. */
  key: string | null;
  name: string | null;
  nameEn: string | null;
  rated: number;
  satisfied: number;
  basicallySatisfied: number;
  dissatisfied: number;
  /** (satisfied + basically satisfied) / rated; null when nothing was rated. */
  rate: number | null;
}

export interface SatisfactionRates {
  by: RatingGrouping;
  /** Sorted by key; only the groups with ratings. */
  groups: SatisfactionGroup[];
  /** key, name and nameEn null. */
  total: SatisfactionGroup;
}

export interface SatisfactionQuery {
  by: RatingGrouping;
  /** YYYY-MM, inclusive; absent: no bound. */
  from?: string;
  to?: string;
}

/** The rate over the caller's scope (insight:read); 422 monthInvalid / monthRangeReversed for bad bounds. */
export const fetchSatisfaction = (api: ApiClient, q: SatisfactionQuery, signal?: AbortSignal) =>
  api.get<SatisfactionRates>('/api/ratings/rate', {
    query: {
      by: q.by,
      ...(q.from ? { from: q.from } : {}),
      ...(q.to ? { to: q.to } : {}),
    },
    signal,
  });
