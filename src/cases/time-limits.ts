/**
 * Time limits as data (处置时限): per category key, or its parent (a local category's standard category), or
 * its major class, or the default × area grade (A/B/C) × step → a period and its legal basis. CJ/T 315 /
 * GB/T 30428.8 set limits "per 小类 × 立案条件 × 区域等级" and leave the figures to the city (DOMAIN-CN §1.6),
 * so the table is data the bureau edits; `DEFAULT_TIME_LIMITS` are the demo's figures. Pure: no I/O.
 *
 * Lookup order, most specific first (the first entry found wins):
 *   category × grade → category × any grade → parent category × grade → parent × any →
 *   major class × grade → major × any → default × grade → default × any → none (the step has no limit).
 */
import { invalid } from '../platform/errors.js';
import type { WorkCalendar } from '../platform/calendar/calendar.js';
import {
  type Deadline,
  type Duration,
  type Suspension,
  computeDeadline,
  isDurationUnit,
} from '../platform/calendar/deadline.js';

/** Area grades of the unit-grid management level: A core area (核心区), B general, C outlying. */
export const AREA_GRADES = ['A', 'B', 'C'] as const;
export type AreaGrade = (typeof AREA_GRADES)[number];
export const isAreaGrade = (v: string): v is AreaGrade => (AREA_GRADES as readonly string[]).includes(v);

/**
 * The steps a time limit can apply to. The loop's own steps (named as in case-loop.ts: the time to leave
 * the step) plus the periods that run beside the loop: the on-site check while building is under way,
 * telling the reporter, transferring a report that is not ours, and a partner's reply to an assistance
 * notice.
 */
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
export const isLimitStep = (v: string): v is LimitStep => (LIMIT_STEPS as readonly string[]).includes(v);

/** A period with the law or rule it comes from. */
export interface TimeLimitRule extends Duration {
  basis: string;
}

/** Which cases an entry covers: a category key ('event:06010'), a major class ('event:06') or '*'. */
export type TimeLimitScope = string;

export interface TimeLimitEntry {
  scope: TimeLimitScope;
  /** An area grade, or '*' for every grade. */
  grade: AreaGrade | '*';
  step: LimitStep;
  rule: TimeLimitRule;
}
export type TimeLimitTable = readonly TimeLimitEntry[];

export interface TimeLimitQuery {
  step: LimitStep;
  categoryKey: string | null;
  /** A local category's standard parent (registry `parentKey`), consulted after the category itself. */
  parentCategoryKey?: string | null;
  areaGrade: AreaGrade | null;
}

/** A rule found by the lookup, with the entry it came from (for the case detail: "why this limit"). */
export interface ResolvedTimeLimit extends TimeLimitRule {
  scope: TimeLimitScope;
  grade: AreaGrade | '*';
}

/** What the case loop needs: the table's answer for a step, and the calendar to turn it into a deadline. */
export interface TimeLimitLookup {
  readonly calendar: WorkCalendar;
  /** The rule for a step by the fallback order above; null when the table has none. */
  find(query: TimeLimitQuery): ResolvedTimeLimit | null;
  /** The deadline of a step started at `from`; null when the step has no limit. */
  deadline(query: TimeLimitQuery, from: Date, suspensions?: readonly Suspension[]): Deadline | null;
}

const CATEGORY_KEY = /^(component|event):\d{5}$/;
const MAJOR_KEY = /^(component|event):\d{2}$/;

/** The major class key of a category key: 'event:06010' → 'event:06'; null when it is not a category key. */
export function majorKeyOf(categoryKey: string): string | null {
  return CATEGORY_KEY.test(categoryKey) ? categoryKey.slice(0, categoryKey.indexOf(':') + 3) : null;
}

const isScope = (v: string): boolean => v === '*' || CATEGORY_KEY.test(v) || MAJOR_KEY.test(v);

/** The scopes to try for a query, most specific first. */
export function scopesOf(query: Pick<TimeLimitQuery, 'categoryKey' | 'parentCategoryKey'>): TimeLimitScope[] {
  const scopes: TimeLimitScope[] = [];
  for (const key of [query.categoryKey, query.parentCategoryKey]) {
    if (key !== null && key !== undefined && key !== '' && !scopes.includes(key)) scopes.push(key);
  }
  for (const key of [query.categoryKey, query.parentCategoryKey]) {
    const major = key === null || key === undefined ? null : majorKeyOf(key);
    if (major !== null && !scopes.includes(major)) scopes.push(major);
  }
  scopes.push('*');
  return scopes;
}

/**
 * Checks a table the bureau edited: known scopes, grades and steps, whole positive periods, a basis on
 * every rule, and no two entries for the same scope × grade × step. Throws Invalid naming the entry.
 */
export function validateTimeLimitTable(table: readonly TimeLimitEntry[]): void {
  const seen = new Set<string>();
  table.forEach((entry, i) => {
    const field = `timeLimits[${i}]`;
    if (!isScope(entry.scope)) {
      throw invalid('timeLimitScopeInvalid', {
        field: `${field}.scope`,
        value: entry.scope,
        expected: "category key, major key or '*'",
      });
    }
    if (entry.grade !== '*' && !isAreaGrade(entry.grade)) {
      throw invalid('timeLimitGradeInvalid', {
        field: `${field}.grade`,
        value: entry.grade,
        expected: 'A|B|C|*',
      });
    }
    if (!isLimitStep(entry.step)) {
      throw invalid('timeLimitStepInvalid', {
        field: `${field}.step`,
        value: entry.step,
        expected: LIMIT_STEPS.join('|'),
      });
    }
    if (!isDurationUnit(entry.rule.unit)) {
      throw invalid('unitInvalid', { field: `${field}.rule.unit`, value: entry.rule.unit });
    }
    if (!Number.isSafeInteger(entry.rule.n) || entry.rule.n < 1) {
      throw invalid('durationInvalid', {
        field: `${field}.rule.n`,
        value: entry.rule.n,
        expected: 'integer ≥ 1',
      });
    }
    if (entry.rule.basis.trim() === '') throw invalid('basisRequired', { field: `${field}.rule.basis` });
    const key = `${entry.scope}|${entry.grade}|${entry.step}`;
    if (seen.has(key)) {
      throw invalid('timeLimitDuplicate', {
        field,
        scope: entry.scope,
        grade: entry.grade,
        step: entry.step,
      });
    }
    seen.add(key);
  });
}

/** Builds the lookup over a (validated) table and the working-day calendar. */
export function createTimeLimitLookup(table: TimeLimitTable, calendar: WorkCalendar): TimeLimitLookup {
  validateTimeLimitTable(table);
  const index = new Map<string, TimeLimitEntry>();
  for (const entry of table) index.set(`${entry.scope}|${entry.grade}|${entry.step}`, entry);

  const find = (query: TimeLimitQuery): ResolvedTimeLimit | null => {
    const grades: Array<AreaGrade | '*'> = query.areaGrade === null ? ['*'] : [query.areaGrade, '*'];
    for (const scope of scopesOf(query)) {
      for (const grade of grades) {
        const entry = index.get(`${scope}|${grade}|${query.step}`);
        if (entry !== undefined) return { ...entry.rule, scope, grade };
      }
    }
    return null;
  };

  return {
    calendar,
    find,
    deadline(query, from, suspensions = []) {
      const rule = find(query);
      if (rule === null) return null;
      return computeDeadline(calendar, {
        from,
        rule: { n: rule.n, unit: rule.unit },
        basis: rule.basis,
        suspensions,
      });
    },
  };
}

/**
 * Entries for the `handle` step from the registry's per-category default limits (category.default_time_limit),
 * so that the limit edited on a category is the one the loop uses. Rows without a limit are skipped.
 */
export function handleLimitsFromCategories(
  rows: readonly { key: string; timeLimit: Duration | null }[],
): TimeLimitEntry[] {
  return rows.flatMap((row) =>
    row.timeLimit === null
      ? []
      : [
          {
            scope: row.key,
            grade: '*' as const,
            step: 'handle' as const,
            rule: {
              ...row.timeLimit,
              basis: `类别目录 ${row.key}：目录中设定的处置时限`,
            },
          },
        ],
  );
}

/**
 * Merges tables: later tables win for the same scope × grade × step (the bureau's edits over the defaults).
 */
export function mergeTimeLimitTables(...tables: readonly TimeLimitTable[]): TimeLimitEntry[] {
  const merged = new Map<string, TimeLimitEntry>();
  for (const table of tables) for (const e of table) merged.set(`${e.scope}|${e.grade}|${e.step}`, e);
  return [...merged.values()];
}

// Bureau practice: GB/T 30428 / CJ/T 315 leave the step limits of the loop to the city; these are the demo's.
const PRACTICE = '区局工作规范（演示默认值；GB/T 30428 将环节时限交由各地规定）';

const entry = (
  scope: TimeLimitScope,
  step: LimitStep,
  n: number,
  unit: Duration['unit'],
  basis: string,
): TimeLimitEntry => ({
  scope,
  grade: '*',
  step,
  rule: { n, unit, basis },
});

/** The demo's time limits. Statutory ones cite their article; the rest are marked as bureau practice. */
export const DEFAULT_TIME_LIMITS: TimeLimitTable = [
  // The loop's own steps (bureau practice).
  entry('*', 'collect', 2, 'workhour', `${PRACTICE}：2 个工作小时内受理或不予受理`),
  entry('*', 'onSiteCheck', 1, 'workday', `${PRACTICE}：1 个工作日内现场核实`),
  entry('*', 'open', 2, 'workhour', `${PRACTICE}：2 个工作小时内立案或不予立案`),
  entry('*', 'dispatch', 2, 'workhour', `${PRACTICE}：2 个工作小时内派遣`),
  entry('*', 'handle', 3, 'workday', `${PRACTICE}：3 个工作日内处置`),
  entry('*', 'verify', 1, 'workday', `${PRACTICE}：1 个工作日内现场核查`),
  entry('*', 'close', 1, 'workday', `${PRACTICE}：核查后 1 个工作日内结案`),
  entry('*', 'evaluate', 5, 'workday', `${PRACTICE}：结案后 5 个工作日内评价`),
  // Handling limits of the demo categories (DOMAIN-CN §1.6, local examples).
  entry('event:06010', 'handle', 1, 'workday', '处置时限（DOMAIN-CN §1.6）：暴露垃圾 1 个工作日内清除'),
  entry('event:06001', 'handle', 4, 'workhour', '处置时限（DOMAIN-CN §1.6）：私搭乱建 4 个工作小时内制止'),
  entry('event:08016', 'handle', 4, 'workhour', '处置时限（DOMAIN-CN §1.6）：无证施工 4 个工作小时内制止'),
  // 上海市拆除违法建筑若干规定 第7条: on site within 24 hours of a report; within 2 hours while building is under way.
  // Natural hours (民法典 第201条第2款), not working hours: the rule is about stopping building in progress.
  entry(
    'event:06001',
    'onSiteCheck',
    24,
    'hour',
    '上海市拆除违法建筑若干规定 第7条：接到报告后 24 小时内到场',
  ),
  entry(
    'event:08016',
    'onSiteCheck',
    24,
    'hour',
    '上海市拆除违法建筑若干规定 第7条：接到报告后 24 小时内到场',
  ),
  entry('*', 'onSiteCheckUnderWay', 2, 'hour', '上海市拆除违法建筑若干规定 第7条：正在搭建的，2 小时内到场'),
  // 上海市城市管理行政执法条例 第26条第2款: tell the reporter within 5 working days; transfer within 3.
  entry(
    '*',
    'reporterFeedback',
    5,
    'workday',
    '上海市城市管理行政执法条例 第26条：5 个工作日内将核查情况告知举报人',
  ),
  entry(
    '*',
    'transfer',
    3,
    'workday',
    '上海市城市管理行政执法条例 第26条：不属于本部门职责的，3 个工作日内移送',
  ),
  // 上海市城市管理行政执法条例 第29条第2款: "自收到协助通知书之日起十日内出具书面意见" — 十日, not 工作日.
  entry(
    '*',
    'assistReply',
    10,
    'day',
    '上海市城市管理行政执法条例 第29条：自收到协助通知书之日起 10 日内出具书面意见',
  ),
];
