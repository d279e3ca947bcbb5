/**
 * Satisfaction (满意度), pure: the three ratings, which close of a case a rating belongs to, and the
 * satisfaction rate. GLOSSARY: satisfaction = a reporter's rating of how a case was handled.
 */
import { invalid } from '../platform/errors.js';

export const RATINGS = ['satisfied', 'basicallySatisfied', 'dissatisfied'] as const;
export type Rating = (typeof RATINGS)[number];

/** Who gave the rating: the reporter (or a follower) by tracking code, or a dispatcher after a callback (回访). */
export type RatingSource = 'reporter' | 'callback';

export const RATING_GROUPINGS = ['unit', 'category', 'month'] as const;
export type RatingGrouping = (typeof RATING_GROUPINGS)[number];

export const COMMENT_MAX = 500;

/**
 * The round a rating belongs to: the case's reopen count. A reopened case closes again and may be rated
 * again; one rating per close (the unique index on case_rating (case_id, round)).
 */
export function ratingRoundOf(stateJson: string | null): number {
  if (stateJson === null) return 0;
  const n = (JSON.parse(stateJson) as { reopenCount?: unknown }).reopenCount;
  return typeof n === 'number' && Number.isSafeInteger(n) && n >= 0 ? n : 0;
}

/** The comment as stored: trimmed, empty → null; longer than COMMENT_MAX characters is refused naming the field. */
export function cleanComment(comment: string | null | undefined): string | null {
  const c = comment?.trim() ?? '';
  if ([...c].length > COMMENT_MAX) throw invalid('fieldTooLong', { field: 'comment', max: COMMENT_MAX });
  return c === '' ? null : c;
}

export interface RatingCounts {
  satisfied: number;
  basicallySatisfied: number;
  dissatisfied: number;
}

/**
 * Satisfaction rate = (satisfied + basically satisfied) / rated — DOMAIN-CN §3.3 (KPI 口径: 满意率按“回访有效
 * 样本中 满意+基本满意 / 有效回访数”), issue 5 item 6. Null when nothing was rated (no rate, not 0 %).
 */
export function satisfactionRate(c: RatingCounts): number | null {
  const rated = c.satisfied + c.basicallySatisfied + c.dissatisfied;
  return rated === 0 ? null : (c.satisfied + c.basicallySatisfied) / rated;
}

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** Checks an optional YYYY-MM month bound of a rate query; Invalid naming the field. */
export function checkMonthRange(range: { from?: string; to?: string }): void {
  for (const field of ['from', 'to'] as const) {
    const v = range[field];
    if (v !== undefined && !MONTH.test(v))
      throw invalid('monthInvalid', { field, value: v, expected: 'YYYY-MM' });
  }
  if (range.from !== undefined && range.to !== undefined && range.to < range.from)
    throw invalid('monthRangeReversed', { field: 'to', value: range.to });
}

/**
 * The unit whose squad leader hears of a dissatisfied rating: the squad whose scope holds the case. A
 * squad's scope is its subdistrict's subtree (access/roles.ts scopePathOf), so it is a squad whose parent
 * is on the case's unit path; the nearest such parent wins. Null when no squad covers the case.
 */
export function squadFor(
  unitPath: string | null,
  squads: readonly { id: string; parentId: string | null; code: string }[],
): string | null {
  const ancestors = (unitPath ?? '').split('/').filter(Boolean);
  let best: { id: string; depth: number; code: string } | null = null;
  for (const s of squads) {
    const depth = s.parentId === null ? -1 : ancestors.indexOf(s.parentId);
    if (depth < 0) continue;
    if (best === null || depth > best.depth || (depth === best.depth && s.code < best.code))
      best = { id: s.id, depth, code: s.code };
  }
  return best?.id ?? null;
}
