/**
 * Problem categories (问题类别): the GB/T 47678.5-2026 directory of 管理部件 (components) and 管理事项
 * (events), plus the bureau's local categories, each with a default handling unit kind and time limit.
 * Pure rules: parsing the directory CSV, keys, validation, and the defaults. No I/O.
 *
 * Source: shared/data/categories/gbt47678-5-2026-directory.csv, a third-party transcription of the standard
 * (see PROVENANCE.md and DOMAIN-CN §1.4.2); codes missing from it may be reserved in the standard.
 */
import { invalid } from '../platform/errors.js';
import { CATEGORY_NAMES_EN, MAJOR_NAMES_EN, type CategoryKey } from './category-names-en.js';
import { DEPARTMENT_KINDS, type DepartmentKind } from './parties.js';

export type { CategoryKey } from './category-names-en.js';

export const CATEGORY_KINDS = ['component', 'event'] as const;
export type CategoryKind = (typeof CATEGORY_KINDS)[number];
export const isCategoryKind = (v: string): v is CategoryKind =>
  (CATEGORY_KINDS as readonly string[]).includes(v);

/** The directory's kind column (管理部件 | 管理事项) → our kind. */
export const KIND_OF_ZH: Readonly<Record<string, CategoryKind>> = {
  管理部件: 'component',
  管理事项: 'event',
};

/**
 * Families: categories that other capabilities treat as one kind of problem (matching sites, dual
 * reports, dashboards). Identifiers from GLOSSARY.md.
 */
export const CATEGORY_FAMILIES = [
  'illegalConstruction',
  'groupRental',
  'renovation',
  'muckTransport',
  'outdoorAd',
] as const;
export type CategoryFamily = (typeof CATEGORY_FAMILIES)[number];
export const isCategoryFamily = (v: string): v is CategoryFamily =>
  (CATEGORY_FAMILIES as readonly string[]).includes(v);

// The partner departments a category may default to (`department:<kind>`): one list, in parties.ts.
export { DEPARTMENT_KINDS, type DepartmentKind };

/** Who handles a category by default: the squad (enforcement), the workstation (community), or a department. */
export type UnitKindRef = 'squad' | 'workstation' | `department:${DepartmentKind}`;

/** True when the text names a handling unit kind: squad, workstation or department:<known kind>. */
export function isUnitKindRef(v: string): v is UnitKindRef {
  if (v === 'squad' || v === 'workstation') return true;
  const m = /^department:(\w+)$/.exec(v);
  return m !== null && (DEPARTMENT_KINDS as readonly string[]).includes(m[1] ?? '');
}

/** The units a time limit may use: those of the deadline engine (platform/calendar/deadline.ts). */
export const TIME_LIMIT_UNITS = ['day', 'workday', 'hour', 'workhour'] as const;
export type TimeLimitUnit = (typeof TIME_LIMIT_UNITS)[number];
export interface TimeLimit {
  n: number;
  unit: TimeLimitUnit;
}

/** Parses a time limit text such as '1 workday' or '4 workhour'; null when it is not one. */
export function parseTimeLimit(text: string): TimeLimit | null {
  const m = /^([1-9]\d{0,3}) (day|workday|hour|workhour)$/.exec(text);
  if (!m) return null;
  return { n: Number(m[1]), unit: m[2] as TimeLimitUnit };
}

export interface Category {
  key: CategoryKey;
  kind: CategoryKind;
  code: string;
  majorCode: string;
  majorName: string;
  majorNameEn: string | null;
  /** Local categories: the standard category they refine. */
  parentKey: CategoryKey | null;
  name: string;
  nameEn: string;
  local: boolean;
  family: CategoryFamily | null;
  defaultUnitKind: UnitKindRef | null;
  defaultTimeLimit: string | null;
  active: boolean;
  version: number;
}

export interface MajorClass {
  kind: CategoryKind;
  code: string;
  name: string;
  nameEn: string | null;
  /** Active categories in the class, standard and local. */
  count: number;
  localCount: number;
}

/** A category's key: kind + ':' + code (the code spaces of the two kinds overlap, e.g. both have 01001). */
export const categoryKey = (kind: CategoryKind, code: string): CategoryKey => `${kind}:${code}`;

/** Splits a key into kind and code; null when it is not a well-formed key. */
export function parseCategoryKey(key: string): { kind: CategoryKind; code: string } | null {
  const m = /^(component|event):(\d{5})$/.exec(key);
  return m ? { kind: m[1] as CategoryKind, code: m[2] as string } : null;
}

// ---------------------------------------------------------------------------------------------------------
// The directory CSV
// ---------------------------------------------------------------------------------------------------------

export interface StandardCategoryRow {
  key: CategoryKey;
  kind: CategoryKind;
  code: string;
  majorCode: string;
  majorName: string;
  name: string;
}

const HEADER = ['kind', 'major_code', 'major_name', 'code', 'name'];

/**
 * Parses the GB/T 47678.5 directory CSV (kind, major_code, major_name, code, name; CRLF or LF; no quoted
 * fields, names use 、 and ，). Throws `Invalid` naming the line of the first bad row; refuses a key twice.
 */
export function parseStandardDirectory(csvText: string): StandardCategoryRow[] {
  const lines = csvText.replace(/^\uFEFF/, '').split(/\r?\n/);
  const header = (lines[0] ?? '').split(',').map((s) => s.trim());
  if (header.join(',') !== HEADER.join(',')) {
    throw invalid('categoryCsvHeader', {
      field: 'file',
      line: 1,
      expected: HEADER.join(','),
      value: header.join(','),
    });
  }
  const rows: StandardCategoryRow[] = [];
  const seen = new Set<string>();
  lines.forEach((raw, i) => {
    const line = i + 1;
    if (i === 0 || raw.trim() === '') return;
    const bad = (reason: string, value: string) =>
      invalid('categoryCsvRow', { field: 'file', line, reason, value });
    const cells = raw.split(',').map((s) => s.trim());
    if (cells.length !== 5) throw bad('columns', raw);
    const [kindZh = '', majorCode = '', majorName = '', code = '', name = ''] = cells;
    const kind = KIND_OF_ZH[kindZh];
    if (!kind) throw bad('kind', kindZh);
    if (!/^\d{2}$/.test(majorCode)) throw bad('majorCode', majorCode);
    if (!/^\d{5}$/.test(code) || !code.startsWith(majorCode)) throw bad('code', code);
    if (majorName === '') throw bad('majorName', majorName);
    if (name === '') throw bad('name', name);
    const key = categoryKey(kind, code);
    if (seen.has(key)) throw bad('duplicate', key);
    seen.add(key);
    rows.push({ key, kind, code, majorCode, majorName, name });
  });
  if (rows.length === 0) throw invalid('categoryCsvEmpty', { field: 'file' });
  return rows;
}

/** The English name of a standard category, or undefined when the table lacks it. */
export const standardNameEn = (key: string): string | undefined =>
  (CATEGORY_NAMES_EN as Record<string, string>)[key];
/** The English name of a major class, or null when the table lacks it. */
export const majorNameEn = (kind: CategoryKind, majorCode: string): string | null =>
  (MAJOR_NAMES_EN as Record<string, string>)[`${kind}:${majorCode}`] ?? null;

// ---------------------------------------------------------------------------------------------------------
// Families of standard categories
// ---------------------------------------------------------------------------------------------------------

/**
 * The families of standard categories. illegalConstruction: 06001 私搭乱建 and 08016 无证建设 (building
 * without a 建设工程规划许可证 is 违法建设, 城乡规划法 第64条); both are "擅自搭建建筑物、构筑物" that 上海市
 * 城市管理行政执法条例 第11条(八) and 上海市拆除违法建筑若干规定 cover. Deliberately not in the family: 06003
 * 违章接坡 (a ramp onto the road: a road-administration offence, 第11条(二), never a building, removed by
 * the squad without the 拆违 procedure), 06039 违章开设道口, 06040 私设地锁, 06046 占用河道 and 09017
 * 违规占用桥下空间 (occupations, not buildings; when a building stands there it is reported as 06001).
 */
export const STANDARD_FAMILIES: Readonly<Record<string, CategoryFamily>> = {
  'event:06001': 'illegalConstruction',
  'event:08016': 'illegalConstruction',
  'event:08011': 'muckTransport',
  'component:03006': 'outdoorAd',
  'event:03006': 'outdoorAd',
  'event:07003': 'outdoorAd',
};

// ---------------------------------------------------------------------------------------------------------
// Default handling unit and time limit
// ---------------------------------------------------------------------------------------------------------

export interface CategoryDefaults {
  unitKind: UnitKindRef;
  timeLimit: string;
}

const d = (unitKind: UnitKindRef, timeLimit: string): CategoryDefaults => ({ unitKind, timeLimit });

/**
 * Defaults by major class. Classes 01–05 apply to the component and to its mirrored event alike (a
 * component category is reported when the component has a problem). Facility classes go to the department
 * that owns the facility; 06–09 are mostly enforcement matters of the squad (上海市城市管理行政执法条例
 * 第11条). Time limits follow the local practice of DOMAIN-CN §1.6 (CJ/T 315 sets them per category and
 * area; the bureau edits them here): facilities 3 working days, greenery upkeep 5 working days.
 */
const MAJOR_DEFAULTS: Readonly<Record<string, CategoryDefaults>> = {
  '01': d('department:construction', '3 workday'),
  '02': d('department:construction', '3 workday'),
  '03': d('department:greening', '2 workday'),
  '04': d('department:greening', '5 workday'),
  '05': d('department:housing', '5 workday'),
  '06': d('squad', '3 workday'),
  '07': d('squad', '2 workday'),
  '08': d('squad', '2 workday'),
  '09': d('squad', '1 workday'),
  '10': d('department:construction', '4 workhour'),
};

const unit = (u: UnitKindRef, codes: string): Array<[string, UnitKindRef]> =>
  codes.split(' ').map((c) => [c, u]);

/** Per-code handling unit overrides (codes 01–05 apply to both kinds). */
const UNIT_OVERRIDES: ReadonlyMap<string, UnitKindRef> = new Map([
  // 水务: water supply, drainage, sewage, flood control; 市政消火栓 01013 are kept by the water company.
  ...unit(
    'department:water',
    '01001 01002 01003 01004 01013 01018 01019 01024 01025 01055 01063 01067 01068 01069 01070 01071 01072 01073',
  ),
  // The operators of power, telecom, cable, gas, heating and oil networks, and of other utility machines.
  ...unit(
    'department:utility',
    '01005 01007 01008 01009 01010 01011 01017 01021 01027 01028 01029 01030 01031 01036 01041 01042 01047 01048 01049 01053 01054 01056 01057 01061 01062 01075',
  ),
  // 公安 (incl. traffic police): police covers, cameras, sentry boxes, SOS points, traffic signals.
  ...unit('department:police', '01012 01015 01050 01051 01066 02014 02015 02016 02039'),
  // 绿化市容: greenery covers, kiosks, landscape lighting (景观照明 is 绿化市容's in Shanghai), notice boards.
  ...unit('department:greening', '01014 01035 01038 01039 01040 01043 01044 01052 01058 01059 01064 01065'),
  ...unit('department:market', '01045 01076'), // vending machines; public elevators (特种设备)
  ...unit('workstation', '01046'), // community fitness equipment
  ...unit('department:water', '02030'),
  ...unit('department:ecology', '03009 03010 03011 03012 03013'),
  ...unit('squad', '03006 03007'), // outdoor ads and shop signs: 市容 enforcement first
  ...unit('department:utility', '05003'),
  ...unit('department:planning', '05009'), // historic sites
  // 06 市容环境类
  ...unit('workstation', '06005 06007 06036 06038 06041'), // compound and household matters: persuasion first
  ...unit('department:greening', '06010 06011 06012 06017 06018 06019 06021 06035 06037 06042 06044 06047'), // 环卫 and 绿化 upkeep
  ...unit('department:construction', '06013 06048 06049 06050 06051 06052'), // road and structure repair
  ...unit('department:water', '06015 06023 06024 06025 06046'),
  ...unit('department:ecology', '06026 06027 06032 06033'),
  ...unit('department:police', '06016 06028'), // road markings (traffic police); social-life noise
  // 07 宣传广告类
  ...unit('department:market', '07004'),
  ...unit('department:greening', '07008'),
  // 08 施工管理类
  ...unit('department:construction', '08009 08014'),
  // 09 街面秩序类
  ...unit('department:police', '09003 09009 09012 09014 09018'),
  ...unit('department:market', '09008 09015 09020'),
  ...unit('department:construction', '09011 09016'),
  ...unit('workstation', '09010'),
  // 10 其他事项类
  ...unit('department:utility', '10002'),
]);

const limit = (t: string, codes: string): Array<[string, string]> => codes.split(' ').map((c) => [c, t]);

/** Per-code time limit overrides; DOMAIN-CN §1.6 gives the local figures cited. */
const TIME_OVERRIDES: ReadonlyMap<string, string> = new Map([
  // A missing or broken cover or grate is a hazard to people: one working day to make safe and repair.
  ...limit(
    '1 workday',
    '01001 01002 01003 01004 01005 01006 01007 01008 01009 01010 01011 01012 01014 01015 01017 01018 01019 01020 01021 01022 01023 01026',
  ),
  ...limit('4 workhour', '02014 02015'), // traffic signals
  ...limit('1 workday', '03001 03005'), // public toilets, litter bins
  ...limit('4 workhour', '06001'), // 私搭乱建: stop the work within 4 working hours (§1.6)
  ...limit('1 workday', '06010'), // 暴露垃圾 1 working day (§1.6)
  ...limit('4 workday', '06011'), // 积存垃圾渣土 4 working days (§1.6)
  ...limit('5 workhour', '06012 06014'), // 道路不洁 5 working hours (§1.6); spillage alike
  ...limit('4 workhour', '06017'), // 绿地保洁 4 working hours (§1.6)
  ...limit('15 workday', '06025'), // 水域不洁 15 working days (§1.6)
  ...limit('5 workday', '06021 06022 06045'), // 绿地养护 5 working days (§1.6)
  ...limit('1 workday', '06042 07001'),
  ...limit('4 workhour', '06020 06029 06033 06037 09012'), // burning, barbecues, medical waste, carcasses, fire lanes
  ...limit('4 workhour', '08016'), // 无证建设: stop the work, as 私搭乱建
]);

/** The default handling unit kind and time limit of a standard category: by major class, then per code. */
export function standardDefaults(code: string): CategoryDefaults {
  const major = MAJOR_DEFAULTS[code.slice(0, 2)] ?? d('squad', '3 workday');
  return {
    unitKind: UNIT_OVERRIDES.get(code) ?? major.unitKind,
    timeLimit: TIME_OVERRIDES.get(code) ?? major.timeLimit,
  };
}

// ---------------------------------------------------------------------------------------------------------
// Local categories
// ---------------------------------------------------------------------------------------------------------

/**
 * A local category's code: its major class + 3 digits from 901 to 999. It stays a 5-digit code so that a
 * 17-character component identifier (区划 6 + 类别 5 + 顺序 6, GB/T 47678.5) can still carry it, and 9xx keeps
 * clear of the standard's own numbering (its highest minor number is 077). Returns the problem or null.
 */
export function localCodeProblem(
  majorCode: string,
  code: string,
): 'format' | 'majorPrefix' | 'localRange' | null {
  if (!/^\d{5}$/.test(code)) return 'format';
  if (!code.startsWith(majorCode)) return 'majorPrefix';
  return Number(code.slice(2)) >= 901 ? null : 'localRange';
}

export interface LocalCategorySpec {
  kind: CategoryKind;
  code: string;
  parentKey: CategoryKey | null;
  name: string;
  nameEn: string;
  family: CategoryFamily | null;
  defaultUnitKind: UnitKindRef;
  defaultTimeLimit: string;
}

/**
 * The bureau's default local categories, created by the loader when absent (never overwritten). Sources:
 * 新增违建: 上海市拆除违法建筑若干规定 第7条 "对正在搭建的，应当在两小时内到现场" (natural hours); 群租: 房屋管理
 * 领域 enforcement handed to 城管 in Shanghai (the 住房租赁条例 article is still to be checked, DOMAIN-CN §7);
 * 小区装修: compound matters the workstation takes up with the triad (上海市住宅物业管理规定 第59条).
 */
export const DEFAULT_LOCAL_CATEGORIES: readonly LocalCategorySpec[] = [
  {
    kind: 'event',
    code: '06901',
    parentKey: 'event:06001',
    name: '新增违建',
    nameEn: 'New illegal construction',
    family: 'illegalConstruction',
    defaultUnitKind: 'squad',
    defaultTimeLimit: '2 hour',
  },
  {
    kind: 'event',
    code: '06902',
    parentKey: null,
    name: '小区装修垃圾与无序',
    nameEn: 'Renovation waste and disorder in compounds',
    family: 'renovation',
    defaultUnitKind: 'workstation',
    defaultTimeLimit: '1 workday',
  },
  {
    kind: 'event',
    code: '08901',
    parentKey: null,
    name: '渣土运输',
    nameEn: 'Muck transport',
    family: 'muckTransport',
    defaultUnitKind: 'squad',
    defaultTimeLimit: '1 workday',
  },
  {
    kind: 'event',
    code: '10901',
    parentKey: null,
    name: '群租',
    nameEn: 'Group rental',
    family: 'groupRental',
    defaultUnitKind: 'squad',
    defaultTimeLimit: '5 workday',
  },
];

/** Fields of a local category that only local categories may change. */
export const LOCAL_ONLY_FIELDS = ['name', 'nameEn', 'parentKey', 'family', 'active'] as const;
/** Fields that are the category's defaults (rules:manage), on standard and local categories alike. */
export const DEFAULT_FIELDS = ['defaultUnitKind', 'defaultTimeLimit'] as const;

export interface CategoryPatch {
  name?: string;
  nameEn?: string;
  parentKey?: string | null;
  family?: string | null;
  active?: boolean;
  defaultUnitKind?: string | null;
  defaultTimeLimit?: string | null;
}

/** Throws `Invalid` naming the field when a default unit kind or time limit is malformed. */
export function assertDefaults(p: {
  defaultUnitKind?: string | null;
  defaultTimeLimit?: string | null;
}): void {
  if (p.defaultUnitKind != null && !isUnitKindRef(p.defaultUnitKind)) {
    throw invalid('categoryUnitKind', {
      field: 'defaultUnitKind',
      value: p.defaultUnitKind,
      expected: `squad | workstation | department:<${DEPARTMENT_KINDS.join('|')}>`,
    });
  }
  if (p.defaultTimeLimit != null && parseTimeLimit(p.defaultTimeLimit) === null) {
    throw invalid('categoryTimeLimit', {
      field: 'defaultTimeLimit',
      value: p.defaultTimeLimit,
      expected: `<n> ${TIME_LIMIT_UNITS.join('|')}`,
    });
  }
}

/**
 * Checks a patch against what may change: a standard category's names, family, parent and active flag are
 * the standard's (Invalid naming the first such field). Returns which permissions the patch needs.
 */
export function patchNeeds(
  category: Pick<Category, 'local'>,
  patch: CategoryPatch,
): { registryWrite: boolean; rulesManage: boolean } {
  const localFields = LOCAL_ONLY_FIELDS.filter((f) => patch[f] !== undefined);
  const defaultFields = DEFAULT_FIELDS.filter((f) => patch[f] !== undefined);
  if (localFields.length === 0 && defaultFields.length === 0)
    throw invalid('categoryEmptyPatch', { field: 'body' });
  const first = localFields[0];
  if (!category.local && first !== undefined) throw invalid('categoryStandardReadOnly', { field: first });
  assertDefaults(patch);
  if (patch.family != null && !isCategoryFamily(patch.family))
    throw invalid('categoryFamily', { field: 'family', value: patch.family });
  return { registryWrite: localFields.length > 0, rulesManage: defaultFields.length > 0 };
}
