import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../schema.js';
import type { ResponsibilityRuleTable } from '../intake/intake.tables.js';
import type { ResponsibilityRule, RuleArea, Target } from './routing.js';

type Q = Kysely<DB> | Transaction<DB>;

export const toRule = (r: ResponsibilityRuleTable): ResponsibilityRule => ({
  id: r.id,
  categoryKey: r.category_key,
  majorCode: r.major_code,
  area: areaOf(r),
  lead: JSON.parse(r.lead) as Target,
  assisting: JSON.parse(r.assisting) as Target[],
  priority: r.priority,
  note: r.note,
  active: r.active === 1,
  version: r.version,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

function areaOf(r: ResponsibilityRuleTable): RuleArea {
  if (r.area_kind === 'unit' && r.area_unit_id) return { kind: 'unit', unitId: r.area_unit_id };
  if (r.area_kind === 'cell' && r.area_layer && r.area_cell_code)
    return { kind: 'cell', layer: r.area_layer, code: r.area_cell_code };
  return { kind: 'everywhere' };
}

/** The columns of a rule's content (everything but id, timestamps and version). */
export function ruleColumns(r: Omit<ResponsibilityRule, 'id' | 'version' | 'createdAt' | 'updatedAt'>) {
  return {
    category_key: r.categoryKey,
    major_code: r.majorCode,
    area_kind: r.area.kind,
    area_unit_id: r.area.kind === 'unit' ? r.area.unitId : null,
    area_layer: r.area.kind === 'cell' ? r.area.layer : null,
    area_cell_code: r.area.kind === 'cell' ? r.area.code : null,
    lead: JSON.stringify(r.lead),
    assisting: JSON.stringify(r.assisting),
    priority: r.priority,
    note: r.note,
    active: r.active ? 1 : 0,
  };
}

export async function listRuleRows(
  db: Q,
  opts: { includeInactive?: boolean } = {},
): Promise<ResponsibilityRule[]> {
  let q = db.selectFrom('responsibility_rule').selectAll().orderBy('priority', 'desc').orderBy('id');
  if (!opts.includeInactive) q = q.where('active', '=', 1);
  return (await q.execute()).map(toRule);
}

export async function findRule(db: Q, id: string): Promise<ResponsibilityRule | undefined> {
  const r = await db.selectFrom('responsibility_rule').selectAll().where('id', '=', id).executeTakeFirst();
  return r && toRule(r);
}

export async function insertRules(db: Q, rows: readonly ResponsibilityRuleTable[]): Promise<void> {
  // 15 columns × 50 rows stays far below both dialects' bound-parameter limits.
  for (let i = 0; i < rows.length; i += 50)
    await db
      .insertInto('responsibility_rule')
      .values(rows.slice(i, i + 50))
      .execute();
}

/** Updates a rule if it still has `version`; false when someone else changed it first. */
export async function updateRuleRow(
  db: Q,
  id: string,
  version: number,
  patch: Partial<Omit<ResponsibilityRuleTable, 'id' | 'created_at' | 'version'>>,
): Promise<boolean> {
  const r = await db
    .updateTable('responsibility_rule')
    .set({ ...patch, version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/**
 * A cheap stamp of everything the routing engine is built from: grid layers (count, sum of current
 * versions, last change), rules, org units, departments and categories (count and last change). One
 * statement of aggregates over small tables; the engine compares it at most once a second and rebuilds
 * when it differs. Reads the registry's tables for aggregates only (the brief's "cheap signature"); the
 * content itself is loaded through the registry's services.
 */
export async function readRoutingSignature(db: Q): Promise<string> {
  const r = await db
    .selectNoFrom((eb) => [
      eb
        .selectFrom('grid_layer')
        .select((e) => e.fn.countAll<number>().as('n'))
        .as('layers'),
      eb
        .selectFrom('grid_layer')
        .select((e) => e.fn.sum<number>('current_version').as('v'))
        .as('layerVersions'),
      eb
        .selectFrom('grid_layer')
        .select((e) => e.fn.max('updated_at').as('m'))
        .as('layersAt'),
      eb
        .selectFrom('responsibility_rule')
        .select((e) => e.fn.countAll<number>().as('n'))
        .as('rules'),
      eb
        .selectFrom('responsibility_rule')
        .select((e) => e.fn.sum<number>('version').as('v'))
        .as('ruleVersions'),
      eb
        .selectFrom('responsibility_rule')
        .select((e) => e.fn.max('updated_at').as('m'))
        .as('rulesAt'),
      eb
        .selectFrom('org_unit')
        .select((e) => e.fn.countAll<number>().as('n'))
        .as('units'),
      eb
        .selectFrom('org_unit')
        .select((e) => e.fn.max('updated_at').as('m'))
        .as('unitsAt'),
      eb
        .selectFrom('department')
        .select((e) => e.fn.countAll<number>().as('n'))
        .as('departments'),
      eb
        .selectFrom('department')
        .select((e) => e.fn.max('updated_at').as('m'))
        .as('departmentsAt'),
      eb
        .selectFrom('category')
        .select((e) => e.fn.countAll<number>().as('n'))
        .as('categories'),
      eb
        .selectFrom('category')
        .select((e) => e.fn.max('updated_at').as('m'))
        .as('categoriesAt'),
    ])
    .executeTakeFirstOrThrow();
  // PostgreSQL answers counts and sums as text, SQLite as numbers: one form, so a stamp compares equal.
  return Object.entries(r)
    .map(([k, v]) => `${k}=${v === null || v === undefined ? '' : String(v)}`)
    .join(';');
}
