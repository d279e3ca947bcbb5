/**
 * Responsibility rules as the bureau keeps them: list, create, edit under optimistic locking, deactivate,
 * and the default rules derived from the categories' default handling units. Every write is audited; the
 * routing engine notices the change by its stamp and rebuilds in the background.
 */
import type { Deps } from '../deps.js';
import { audited, type ActionContext } from '../access/audit.service.js';
import { can, type Actor } from '../access/roles.js';
import { conflict, forbidden, invalid, notFound } from '../platform/errors.js';
import { newId } from '../platform/ids.js';
import { getCategory, listCategories, listMajorClasses } from '../registry/categories.service.js';
import { listGridLayers } from '../registry/grid-layers.service.js';
import { getOrgUnit } from '../registry/org-units.service.js';
import {
  assertRuleSpec,
  defaultRules,
  DEFAULT_RULE_PRIORITY,
  type ResponsibilityRule,
  type RuleArea,
  type RuleSpec,
  type Target,
} from './routing.js';
import { findRule, insertRules, listRuleRows, ruleColumns, updateRuleRow } from './routing.store.js';

/** Units whose area a rule may be limited to: those that hold cells, and their ancestors. */
const AREA_UNIT_KINDS = new Set(['bureau', 'subdistrict', 'sector', 'workstation', 'community']);

export interface RuleInput {
  categoryKey?: string | null;
  majorCode?: string | null;
  area: RuleArea;
  lead: Target;
  assisting?: Target[];
  priority: number;
  note?: string | null;
}

export type RulePatch = Partial<RuleInput> & { active?: boolean; version: number };

const mayRead = (actor: Actor) => can(actor, 'rules:manage') || can(actor, 'reports:triage');

/** The rules, highest priority first (active only unless asked); bureau staff and dispatchers. */
export async function listRules(
  deps: Pick<Deps, 'database'>,
  actor: Actor,
  opts: { includeInactive?: boolean } = {},
): Promise<ResponsibilityRule[]> {
  if (!mayRead(actor)) throw forbidden();
  return listRuleRows(deps.database.db, opts);
}

/** Checks that what a rule names exists: its category or major class, its area's unit or layer, its targets' units and layers. */
async function checkReferences(deps: Pick<Deps, 'database'>, actor: Actor, r: RuleSpec): Promise<void> {
  if (r.categoryKey !== null) {
    await getCategory(deps, actor, r.categoryKey).catch(() => {
      throw invalid('routingCategoryUnknown', { field: 'categoryKey', value: r.categoryKey });
    });
  }
  if (r.majorCode !== null) {
    const majors = await listMajorClasses(deps, actor);
    if (!majors.some((m) => `${m.kind}:${m.code}` === r.majorCode))
      throw invalid('routingMajorUnknown', { field: 'majorCode', value: r.majorCode });
  }
  const layers = new Set((await listGridLayers(deps, actor)).map((l) => l.name));
  const unit = async (id: string, field: string) =>
    getOrgUnit(deps, actor, id).catch(() => {
      throw invalid('routingUnitUnknown', { field, value: id });
    });
  if (r.area.kind === 'unit') {
    const u = await unit(r.area.unitId, 'area.unitId');
    if (!AREA_UNIT_KINDS.has(u.kind))
      throw invalid('routingAreaUnitKind', {
        field: 'area.unitId',
        value: u.kind,
        expected: [...AREA_UNIT_KINDS].join('|'),
      });
  }
  if (r.area.kind === 'cell' && !layers.has(r.area.layer))
    throw invalid('routingLayerUnknown', { field: 'area.layer', value: r.area.layer });
  const targets: Array<[Target, string]> = [
    [r.lead, 'lead'],
    ...r.assisting.map((t, i): [Target, string] => [t, `assisting.${i}`]),
  ];
  for (const [t, field] of targets) {
    if ('fixedUnitId' in t) await unit(t.fixedUnitId, `${field}.fixedUnitId`);
    if ('fromLayer' in t && !layers.has(t.fromLayer))
      throw invalid('routingLayerUnknown', { field: `${field}.fromLayer`, value: t.fromLayer });
  }
}

const specOf = (i: RuleInput): RuleSpec => ({
  categoryKey: i.categoryKey ?? null,
  majorCode: i.majorCode ?? null,
  area: i.area,
  lead: i.lead,
  assisting: i.assisting ?? [],
  priority: i.priority,
  note: i.note ?? null,
});

/** Adds a bureau rule (rules:manage; priority 0 or more, so above every default); audited. */
export async function createRule(
  deps: Deps,
  ctx: ActionContext,
  input: RuleInput,
): Promise<ResponsibilityRule> {
  if (!can(ctx.actor, 'rules:manage')) throw forbidden();
  const spec = specOf(input);
  assertRuleSpec(spec);
  await checkReferences(deps, ctx.actor, spec);
  return audited(deps, ctx, async (tx, audit) => {
    const now = deps.clock().toISOString();
    const id = newId();
    await insertRules(tx, [
      { id, ...ruleColumns({ ...spec, active: true }), created_at: now, updated_at: now, version: 1 },
    ]);
    const rule = await findRule(tx, id);
    if (!rule) throw new Error(`rule ${id} vanished inside its own transaction`);
    await audit({ action: 'routingRule.create', entity: 'responsibilityRule', entityId: id, after: rule });
    return rule;
  });
}

/**
 * Edits a rule under optimistic locking (`version`; Conflict when stale); `active: false` deactivates it.
 * A default rule keeps its default priority unless the patch gives a bureau priority. Audited.
 */
export async function updateRule(
  deps: Deps,
  ctx: ActionContext,
  id: string,
  patch: RulePatch,
): Promise<ResponsibilityRule> {
  if (!can(ctx.actor, 'rules:manage')) throw forbidden();
  const { version, active, ...content } = patch;
  if (active === undefined && Object.values(content).every((v) => v === undefined))
    throw invalid('routingEmptyPatch', { field: 'body' });
  const before = await findRule(deps.database.db, id);
  if (!before) throw notFound('responsibilityRule', id);
  if (before.version !== version)
    throw conflict('versionConflict', { entity: 'responsibilityRule', id, version: before.version });
  const spec: RuleSpec = {
    categoryKey: content.categoryKey !== undefined ? content.categoryKey : before.categoryKey,
    majorCode: content.majorCode !== undefined ? content.majorCode : before.majorCode,
    area: content.area ?? before.area,
    lead: content.lead ?? before.lead,
    assisting: content.assisting ?? before.assisting,
    priority: content.priority ?? before.priority,
    note: content.note !== undefined ? content.note : before.note,
  };
  // Choosing a category drops the major class and the reverse, unless the patch names both (refused below).
  if (content.categoryKey && content.majorCode === undefined) spec.majorCode = null;
  if (content.majorCode && content.categoryKey === undefined) spec.categoryKey = null;
  assertRuleSpec(spec, { allowDefaultPriority: content.priority === undefined });
  await checkReferences(deps, ctx.actor, spec);
  return audited(deps, ctx, async (tx, audit) => {
    const now = deps.clock().toISOString();
    const ok = await updateRuleRow(tx, id, version, {
      ...ruleColumns({ ...spec, active: active ?? before.active }),
      updated_at: now,
    });
    if (!ok) throw conflict('versionConflict', { entity: 'responsibilityRule', id });
    const after = await findRule(tx, id);
    if (!after) throw new Error(`rule ${id} vanished inside its own transaction`);
    const action = active === false && before.active ? 'routingRule.deactivate' : 'routingRule.update';
    await audit({ action, entity: 'responsibilityRule', entityId: id, before, after });
    return after;
  });
}

/**
 * Creates the default rules that are absent: one per major class (its categories' most common default
 * unit) and one per category whose default differs, everywhere, at DEFAULT_RULE_PRIORITY (below every
 * bureau rule). A default already there (by category or class, active or not) is never overwritten, so
 * what the bureau edited or deactivated stays. Run after the categories are loaded; audited.
 */
export async function ensureDefaultRules(
  deps: Deps,
  ctx: ActionContext,
): Promise<{ created: number; existing: number }> {
  if (!can(ctx.actor, 'rules:manage')) throw forbidden();
  const categories = await listCategories(deps, ctx.actor, { includeInactive: true, limit: 5000 });
  const wanted = defaultRules(categories);
  return audited(deps, ctx, async (tx, audit) => {
    const keyOf = (r: Pick<RuleSpec, 'categoryKey' | 'majorCode'>) =>
      `${r.categoryKey ?? ''}|${r.majorCode ?? ''}`;
    const have = new Set(
      (await listRuleRows(tx, { includeInactive: true }))
        .filter((r) => r.priority === DEFAULT_RULE_PRIORITY && r.area.kind === 'everywhere')
        .map(keyOf),
    );
    const now = deps.clock().toISOString();
    const rows = wanted
      .filter((w) => !have.has(keyOf(w)))
      .map((w) => ({
        id: newId(),
        ...ruleColumns({ ...w, active: true }),
        created_at: now,
        updated_at: now,
        version: 1,
      }));
    await insertRules(tx, rows);
    const result = { created: rows.length, existing: wanted.length - rows.length };
    await audit({
      action: 'routingRule.ensureDefaults',
      entity: 'responsibilityRule',
      entityId: null,
      after: result,
    });
    return result;
  });
}
