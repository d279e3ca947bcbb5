/**
 * Responsibility rules (事事有人抓): which unit leads on a report, given the cells of every grid layer that
 * hold its point and its category. Pure: the service hands in the point's cells and what it knows of the
 * org tree; no I/O, no clock.
 *
 * A rule says "for this category (or its major class, or any), in this area (a cell, a unit's area, or
 * everywhere), the lead is this target, helped by those". Targets are resolved from the point's cells, so a
 * handful of rules cover the whole district: "the squad of the point's subdistrict", "the point's
 * workstation", "the water department".
 *
 * Border points: which cell of a layer holds a point on a border shared by two cells (or a vertex shared by
 * several) is FusionIndex's tie rule: the cell with the smallest code, codes compared as JavaScript strings.
 * The rules here only ever see that one cell per layer, so a point on the border of 莘庄镇 (310112101) and
 * 梅陇镇 (310112102) belongs to 莘庄镇 for every rule, its squad included.
 */
import { invalid } from '../platform/errors.js';
import { parseCategoryKey, type UnitKindRef } from '../registry/categories.js';
import { DEPARTMENT_KINDS, isDepartmentKind, type DepartmentKind } from '../registry/parties.js';

/** Why a report goes to a dispatcher instead of a responsible unit. */
export const TRIAGE_REASONS = ['outsideDistrict', 'noCategory', 'noRule', 'targetUnresolved'] as const;
export type TriageReason = (typeof TRIAGE_REASONS)[number];

/** The layer of subdistricts: a point's subdistrict (and so its squad and triage desk) is read from it first. */
export const SUBDISTRICT_LAYER = 'subdistricts';
/** The layer of workstation areas (城管社区工作站片区). */
export const WORKSTATION_LAYER = 'workstationAreas';
/** Default rules sit below everything the bureau adds: bureau priorities are 0 or more. */
export const DEFAULT_RULE_PRIORITY = -100;
export const MIN_PRIORITY = 0;
export const MAX_PRIORITY = 1_000_000;
/** Grid layer names, as the registry accepts them. */
export const LAYER_NAME = /^[a-zA-Z][a-zA-Z0-9_-]{1,40}$/;
/** A major class: kind + ':' + its two-digit code, e.g. 'event:06'. */
export const MAJOR_CODE = /^(component|event):\d{2}$/;

/**
 * Who leads or assists: a fixed unit; the unit of the point's cell in a layer (or the squad of that unit's
 * subdistrict); or the partner department of a kind.
 */
export type Target =
  { fixedUnitId: string } | { fromLayer: string; as?: 'squad' } | { departmentKind: DepartmentKind };

/** Where a rule holds: everywhere, in a unit's area (the point's cells' units and their ancestors), or one cell. */
export type RuleArea =
  { kind: 'everywhere' } | { kind: 'unit'; unitId: string } | { kind: 'cell'; layer: string; code: string };

export interface ResponsibilityRule {
  id: string;
  /** One category, or */
  categoryKey: string | null;
  /** one major class ('event:06'), or neither: every category. */
  majorCode: string | null;
  area: RuleArea;
  lead: Target;
  assisting: Target[];
  /** Higher first; the bureau's rules are 0 or more, the defaults below. */
  priority: number;
  note: string | null;
  active: boolean;
  version: number;
  createdAt: string;
  updatedAt: string;
}

/** A rule as written, before it has an id. */
export type RuleSpec = Pick<
  ResponsibilityRule,
  'categoryKey' | 'majorCode' | 'area' | 'lead' | 'assisting' | 'priority' | 'note'
>;

/** What the rules need of an org unit. */
export interface UnitInfo {
  id: string;
  kind: string;
  code: string;
  name: string;
  nameEn: string | null;
  /** Materialised path: the ids of its ancestors and its own, '/a/b/c/'. */
  path: string;
}

/** The cell of one layer that holds the point (by FusionIndex's tie rule). */
export interface PointCell {
  layer: string;
  version: number;
  versionId: string;
  code: string;
  unitId: string | null;
}

/** What the rules know of the district besides the point: active units, squads, departments, layers. */
export interface RoutingWorld {
  units: ReadonlyMap<string, UnitInfo>;
  /** subdistrict id → its squad's id. */
  squadOfSubdistrict: ReadonlyMap<string, string>;
  departmentUnits: ReadonlyMap<string, string>;
  bureauId: string | null;
  /** The layer of the district outline, and the layers the index holds. */
  districtLayer: string;
  layers: readonly string[];
}

export type Decision =
  | { kind: 'responsible'; unitId: string; rule: ResponsibilityRule; assisting: string[] }
  | { kind: 'triage'; unitId: string | null; reason: TriageReason; ruleId: string | null };

/** The major class of a category key ('event:06001' → 'event:06'); null for a malformed key. */
export function majorOf(categoryKey: string): string | null {
  const k = parseCategoryKey(categoryKey);
  return k ? `${k.kind}:${k.code.slice(0, 2)}` : null;
}

const categoryRank = (r: ResponsibilityRule) => (r.categoryKey !== null ? 2 : r.majorCode !== null ? 1 : 0);
const areaRank = (r: ResponsibilityRule) => (r.area.kind === 'cell' ? 2 : r.area.kind === 'unit' ? 1 : 0);
const pathDepth = (path: string | undefined) => (path ? path.split('/').filter(Boolean).length : 0);

/**
 * Orders rules as they are tried: highest priority first, then specificity (exact category > major class >
 * any; then cell > unit > everywhere; then the deeper unit), then id. Deterministic for any input order.
 * Inactive rules are left out.
 */
export function orderRules(
  rules: readonly ResponsibilityRule[],
  units: ReadonlyMap<string, UnitInfo>,
): ResponsibilityRule[] {
  const depth = (r: ResponsibilityRule) =>
    r.area.kind === 'unit' ? pathDepth(units.get(r.area.unitId)?.path) : 0;
  return rules
    .filter((r) => r.active)
    .map((r) => ({ r, key: [r.priority, categoryRank(r), areaRank(r), depth(r)] }))
    .sort((a, b) => {
      for (let i = 0; i < a.key.length; i++) {
        const d = (b.key[i] as number) - (a.key[i] as number);
        if (d !== 0) return d;
      }
      return a.r.id < b.r.id ? -1 : a.r.id > b.r.id ? 1 : 0;
    })
    .map((x) => x.r);
}

/** The ids of the point's cells' units and all their ancestors (by path). */
export function unitsAround(world: RoutingWorld, cells: readonly PointCell[]): Set<string> {
  const out = new Set<string>();
  for (const c of cells) {
    if (!c.unitId) continue;
    out.add(c.unitId);
    for (const id of (world.units.get(c.unitId)?.path ?? '').split('/')) if (id) out.add(id);
  }
  return out;
}

/** True when the rule covers the category (exact, its major class, or any) and its area holds the point. */
export function ruleApplies(
  rule: ResponsibilityRule,
  categoryKey: string,
  cells: readonly PointCell[],
  around: ReadonlySet<string>,
): boolean {
  if (rule.categoryKey !== null && rule.categoryKey !== categoryKey) return false;
  if (rule.categoryKey === null && rule.majorCode !== null && rule.majorCode !== majorOf(categoryKey))
    return false;
  const area = rule.area;
  switch (area.kind) {
    case 'everywhere':
      return true;
    case 'unit':
      return around.has(area.unitId);
    case 'cell':
      return cells.some((c) => c.layer === area.layer && c.code === area.code);
  }
}

/** The unit itself or its nearest ancestor of a kind. */
function ancestorOfKind(world: RoutingWorld, unitId: string, kind: string): UnitInfo | undefined {
  const u = world.units.get(unitId);
  if (!u) return undefined;
  if (u.kind === kind) return u;
  const ids = u.path.split('/').filter(Boolean).reverse();
  for (const id of ids) {
    const a = world.units.get(id);
    if (a?.kind === kind) return a;
  }
  return undefined;
}

/** The unit a target names for this point, or null when it names none (no cell, no such unit, no squad). */
export function resolveTarget(
  world: RoutingWorld,
  target: Target,
  cells: readonly PointCell[],
): string | null {
  if ('fixedUnitId' in target) return world.units.has(target.fixedUnitId) ? target.fixedUnitId : null;
  if ('departmentKind' in target) return world.departmentUnits.get(target.departmentKind) ?? null;
  const unitId = cells.find((c) => c.layer === target.fromLayer)?.unitId ?? null;
  if (!unitId || !world.units.has(unitId)) return null;
  if (target.as !== 'squad') return unitId;
  const sub = ancestorOfKind(world, unitId, 'subdistrict');
  return sub ? (world.squadOfSubdistrict.get(sub.id) ?? null) : null;
}

/**
 * Where a report goes when no rule decides: the squad of the point's subdistrict (read from the
 * subdistricts layer first, else from any cell's unit), else the bureau.
 */
export function triageUnit(world: RoutingWorld, cells: readonly PointCell[]): string | null {
  const ordered = [
    ...cells.filter((c) => c.layer === SUBDISTRICT_LAYER),
    ...cells.filter((c) => c.layer !== SUBDISTRICT_LAYER),
  ];
  for (const c of ordered) {
    const sub = c.unitId ? ancestorOfKind(world, c.unitId, 'subdistrict') : undefined;
    const squad = sub && world.squadOfSubdistrict.get(sub.id);
    if (squad) return squad;
  }
  return world.bureauId;
}

/** True when the point lies in the district: in a cell of the district layer, or, without one, in any cell. */
export function insideDistrict(world: RoutingWorld, cells: readonly PointCell[]): boolean {
  return world.layers.includes(world.districtLayer)
    ? cells.some((c) => c.layer === world.districtLayer)
    : cells.length > 0;
}

/**
 * Decides who answers for a report at a point: outside the district → the bureau's triage; no category yet →
 * triage; else the first rule (in `orderRules` order) that applies; its lead must resolve, or the report
 * goes to triage naming the rule. Assisting targets that resolve to nothing are left out.
 */
export function decide(
  world: RoutingWorld,
  ordered: readonly ResponsibilityRule[],
  cells: readonly PointCell[],
  categoryKey: string | null,
): Decision {
  const triage = (reason: TriageReason, ruleId: string | null = null): Decision => ({
    kind: 'triage',
    reason,
    ruleId,
    unitId: reason === 'outsideDistrict' ? world.bureauId : triageUnit(world, cells),
  });
  if (!insideDistrict(world, cells)) return triage('outsideDistrict');
  if (!categoryKey) return triage('noCategory');
  const around = unitsAround(world, cells);
  const rule = ordered.find((r) => ruleApplies(r, categoryKey, cells, around));
  if (!rule) return triage('noRule');
  const lead = resolveTarget(world, rule.lead, cells);
  if (!lead) return triage('targetUnresolved', rule.id);
  const assisting: string[] = [];
  for (const t of rule.assisting) {
    const u = resolveTarget(world, t, cells);
    if (u && u !== lead && !assisting.includes(u)) assisting.push(u);
  }
  return { kind: 'responsible', unitId: lead, rule, assisting };
}

// ---------------------------------------------------------------------------------------------------------
// Descriptions
// ---------------------------------------------------------------------------------------------------------

export interface Namer {
  unit(id: string): string | undefined;
  category(key: string): string | undefined;
  major(code: string): string | undefined;
}

/** A target in words, e.g. 'the squad of the point's subdistricts cell'. */
export function describeTarget(t: Target, names: Namer): string {
  if ('fixedUnitId' in t) return names.unit(t.fixedUnitId) ?? `unit ${t.fixedUnitId}`;
  if ('departmentKind' in t) return `the ${t.departmentKind} department`;
  return t.as === 'squad'
    ? `the squad of the point's ${t.fromLayer} cell`
    : `the unit of the point's ${t.fromLayer} cell`;
}

/** A rule in one line, for people: what, where, who, priority and note. */
export function describeRule(r: ResponsibilityRule, names: Namer): string {
  const what =
    r.categoryKey !== null
      ? `${names.category(r.categoryKey) ?? ''} (${r.categoryKey})`.trim()
      : r.majorCode !== null
        ? `${names.major(r.majorCode) ?? ''} (${r.majorCode})`.trim()
        : 'any category';
  const area = r.area;
  const where =
    area.kind === 'everywhere'
      ? 'everywhere'
      : area.kind === 'unit'
        ? `in ${names.unit(area.unitId) ?? `unit ${area.unitId}`}`
        : `in cell ${area.layer}/${area.code}`;
  const help =
    r.assisting.length > 0
      ? `, assisted by ${r.assisting.map((t) => describeTarget(t, names)).join(', ')}`
      : '';
  const kind = r.priority < MIN_PRIORITY ? 'default rule' : 'bureau rule';
  return `${kind}: ${what}, ${where} → ${describeTarget(r.lead, names)}${help}; priority ${r.priority}${r.note ? `; ${r.note}` : ''}`;
}

// ---------------------------------------------------------------------------------------------------------
// Default rules from the categories' default handling unit kinds
// ---------------------------------------------------------------------------------------------------------

/** The target of a category's default unit kind: squad, workstation or department. */
export function targetOfUnitKind(kind: UnitKindRef): Target {
  if (kind === 'squad') return { fromLayer: SUBDISTRICT_LAYER, as: 'squad' };
  if (kind === 'workstation') return { fromLayer: WORKSTATION_LAYER };
  return { departmentKind: kind.slice('department:'.length) as DepartmentKind };
}

export interface CategoryDefaultsView {
  key: string;
  kind: string;
  majorCode: string;
  defaultUnitKind: UnitKindRef | null;
  active: boolean;
}

/**
 * The default rules: for each major class, everywhere, the unit kind most of its active categories default
 * to (ties: squad, then workstation, then departments in name order); and one rule per category whose
 * default differs from its class's. All at DEFAULT_RULE_PRIORITY, so any bureau rule comes first.
 */
export function defaultRules(categories: readonly CategoryDefaultsView[]): RuleSpec[] {
  const byMajor = new Map<string, CategoryDefaultsView[]>();
  for (const c of categories) {
    if (!c.active || c.defaultUnitKind === null) continue;
    const major = `${c.kind}:${c.majorCode}`;
    byMajor.set(major, [...(byMajor.get(major) ?? []), c]);
  }
  const rank = (k: string) => (k === 'squad' ? '0' : k === 'workstation' ? '1' : `2${k}`);
  const out: RuleSpec[] = [];
  const spec = (
    categoryKey: string | null,
    majorCode: string | null,
    kind: UnitKindRef,
    note: string,
  ): RuleSpec => ({
    categoryKey,
    majorCode,
    area: { kind: 'everywhere' },
    lead: targetOfUnitKind(kind),
    assisting: [],
    priority: DEFAULT_RULE_PRIORITY,
    note,
  });
  for (const major of [...byMajor.keys()].sort()) {
    const members = byMajor.get(major) ?? [];
    const counts = new Map<UnitKindRef, number>();
    for (const c of members)
      if (c.defaultUnitKind) counts.set(c.defaultUnitKind, (counts.get(c.defaultUnitKind) ?? 0) + 1);
    const [mode] =
      [...counts.entries()].sort((a, b) => b[1] - a[1] || (rank(a[0]) < rank(b[0]) ? -1 : 1))[0] ?? [];
    if (!mode) continue;
    out.push(spec(null, major, mode, `default: most categories of ${major} go to ${mode}`));
    for (const c of [...members].sort((a, b) => (a.key < b.key ? -1 : 1))) {
      if (c.defaultUnitKind && c.defaultUnitKind !== mode)
        out.push(spec(c.key, null, c.defaultUnitKind, `default: ${c.key} goes to ${c.defaultUnitKind}`));
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Validation of what a rule says (existence of units, layers and categories is the service's to check)
// ---------------------------------------------------------------------------------------------------------

/** Throws `Invalid` naming the field when a target is malformed. */
export function assertTarget(t: Target, field: string): void {
  const keys = Object.keys(t);
  if ('fixedUnitId' in t) {
    if (keys.length !== 1 || typeof t.fixedUnitId !== 'string' || t.fixedUnitId === '')
      throw invalid('routingTarget', { field });
  } else if ('departmentKind' in t) {
    if (keys.length !== 1 || !isDepartmentKind(t.departmentKind))
      throw invalid('routingDepartmentKind', {
        field,
        value: t.departmentKind,
        expected: DEPARTMENT_KINDS.join('|'),
      });
  } else if ('fromLayer' in t) {
    if (typeof t.fromLayer !== 'string' || !LAYER_NAME.test(t.fromLayer))
      throw invalid('routingTarget', { field, value: t.fromLayer });
    if (t.as !== undefined && t.as !== 'squad')
      throw invalid('routingTarget', { field: `${field}.as`, value: t.as });
    if (keys.some((k) => k !== 'fromLayer' && k !== 'as')) throw invalid('routingTarget', { field });
  } else {
    throw invalid('routingTarget', { field });
  }
}

/** Throws `Invalid` naming the field when a rule's category, area, targets or priority are malformed. */
export function assertRuleSpec(r: RuleSpec, opts: { allowDefaultPriority?: boolean } = {}): void {
  if (r.categoryKey !== null && r.majorCode !== null)
    throw invalid('routingRuleCategoryBoth', { field: 'majorCode' });
  if (r.categoryKey !== null && !parseCategoryKey(r.categoryKey))
    throw invalid('routingCategoryUnknown', { field: 'categoryKey', value: r.categoryKey });
  if (r.majorCode !== null && !MAJOR_CODE.test(r.majorCode))
    throw invalid('routingMajorUnknown', { field: 'majorCode', value: r.majorCode });
  if (r.area.kind === 'cell' && (!LAYER_NAME.test(r.area.layer) || r.area.code === ''))
    throw invalid('routingArea', { field: 'area', value: `${r.area.layer}/${r.area.code}` });
  if (r.area.kind === 'unit' && r.area.unitId === '') throw invalid('routingArea', { field: 'area.unitId' });
  assertTarget(r.lead, 'lead');
  r.assisting.forEach((t, i) => assertTarget(t, `assisting.${i}`));
  const min = opts.allowDefaultPriority ? DEFAULT_RULE_PRIORITY : MIN_PRIORITY;
  if (!Number.isInteger(r.priority) || r.priority < min || r.priority > MAX_PRIORITY)
    throw invalid('routingPriority', {
      field: 'priority',
      value: r.priority,
      min: MIN_PRIORITY,
      max: MAX_PRIORITY,
    });
}
