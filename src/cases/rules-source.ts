/**
 * Where the case services get their time limits and working-day calendar from. The contract is fixed here;
 * the implementation reads the bureau's tables (time_limit over DEFAULT_TIME_LIMITS, calendar_override +
 * calendar_year as CalendarOverrides), caches the built lookup and rebuilds it after an edit.
 *
 * Until the tables are wired in, it serves the defaults: DEFAULT_TIME_LIMITS on the chinese-days calendar.
 */
import type { Deps } from '../deps.js';
import { createWorkCalendar } from '../platform/calendar/calendar.js';
import { DEFAULT_TIME_LIMITS, createTimeLimitLookup, type TimeLimitLookup } from './time-limits.js';

export interface CaseRulesSource {
  /** The current lookup (time limits + calendar); cached, cheap to call on every move. */
  limits(): Promise<TimeLimitLookup>;
  /** Drops the cache: the next `limits()` reads the tables again (after an edit of either table). */
  invalidate(): void;
}

export function createCaseRulesSource(_deps: Pick<Deps, 'database'>): CaseRulesSource {
  let cached: TimeLimitLookup | undefined;
  return {
    limits() {
      cached ??= createTimeLimitLookup(DEFAULT_TIME_LIMITS, createWorkCalendar());
      return Promise.resolve(cached);
    },
    invalidate() {
      cached = undefined;
    },
  };
}
