/**
 * Where the case services get their time limits and working-day calendar from. The contract is fixed here;
 * the implementation reads the bureau's tables (time_limit over the category registry's handling limits over
 * DEFAULT_TIME_LIMITS; calendar_override + calendar_year as CalendarOverrides), caches the built lookup and
 * rebuilds it after an edit (the editing services call invalidate()).
 *
 * The cache also expires after `maxAgeMs`: a category's limit edited in the registry, or a table edited by
 * another server process, reaches this process within that time without any cross-capability hook.
 */
import type { Deps } from '../deps.js';
import { createWorkCalendar } from '../platform/calendar/calendar.js';
import { readCaseRules } from './case-rules.service.js';
import { layerTimeLimits } from './case-rules.js';
import { createTimeLimitLookup, type TimeLimitLookup } from './time-limits.js';

export interface CaseRulesSource {
  /** The current lookup (time limits + calendar); cached, cheap to call on every move. */
  limits(): Promise<TimeLimitLookup>;
  /** Drops the cache: the next `limits()` reads the tables again (after an edit of either table). */
  invalidate(): void;
}

export interface CaseRulesSourceOptions {
  /** How long a built lookup is served before the tables are read again; default one minute. */
  maxAgeMs?: number;
  /** Milliseconds now, for the cache's age; defaults to Date.now. */
  now?: () => number;
}

/** Reads the tables and builds the lookup: a table the calendar refuses (a bad override) fails here, loudly. */
export async function buildTimeLimitLookup(deps: Pick<Deps, 'database'>): Promise<TimeLimitLookup> {
  const data = await readCaseRules(deps);
  return createTimeLimitLookup(
    layerTimeLimits(data.layers),
    createWorkCalendar({ overrides: data.overrides }),
  );
}

export function createCaseRulesSource(
  deps: Pick<Deps, 'database'>,
  options: CaseRulesSourceOptions = {},
): CaseRulesSource {
  const maxAgeMs = options.maxAgeMs ?? 60_000;
  const now = options.now ?? Date.now;
  // The promise itself is cached, so concurrent callers share one read; a failed read is not kept.
  let cached: { at: number; lookup: Promise<TimeLimitLookup> } | undefined;
  return {
    limits() {
      const at = now();
      if (cached === undefined || at - cached.at >= maxAgeMs) {
        const entry = { at, lookup: buildTimeLimitLookup(deps) };
        cached = entry;
        entry.lookup.catch(() => {
          if (cached === entry) cached = undefined;
        });
      }
      return cached.lookup;
    },
    invalidate() {
      cached = undefined;
    },
  };
}
