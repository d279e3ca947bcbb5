// Test helpers of the alerts: cases written straight into case_file with only the columns the sweep reads
// (the case service is not needed to test reminders), and the demo skeleton's units by key.
import type { Kysely } from 'kysely';
import type { DB } from '../schema.js';
import { newId } from '../platform/ids.js';

export interface TestCase {
  id?: string;
  code?: string;
  status?: string;
  step?: string;
  /** The unit the case lives in (its path becomes unit_path) and that it was dispatched to. */
  unitId: string;
  handlingUnitId?: string | null;
  dueAt: Date | null;
  /** Start of the step's period (step_started_at and the state's deadline.from). */
  from?: Date | null;
  basis?: string;
  reporterDueAt?: Date | null;
}

/** Inserts one case row; answers its id. */
export async function insertTestCase(db: Kysely<DB>, c: TestCase): Promise<string> {
  const id = c.id ?? newId();
  const unit = await db
    .selectFrom('org_unit')
    .select('path')
    .where('id', '=', c.unitId)
    .executeTakeFirstOrThrow();
  const at = '2026-03-01T00:00:00.000Z';
  const due = c.dueAt?.toISOString() ?? null;
  const from = c.from === undefined ? null : (c.from?.toISOString() ?? null);
  await db
    .insertInto('case_file')
    .values({
      id,
      code: c.code ?? `AJ-${id.slice(-8)}`,
      status: c.status ?? 'active',
      step: c.step ?? 'handle',
      category_key: null,
      lng: null,
      lat: null,
      responsible_unit_id: c.unitId,
      unit_path: unit.path,
      opened_at: at,
      closed_at: null,
      created_at: at,
      updated_at: at,
      version: 1,
      channel: 'patrol',
      parent_category_key: null,
      area_grade: null,
      handling_unit_id: c.handlingUnitId ?? null,
      handling_unit_path: null,
      step_started_at: from,
      due_at: due,
      reporter_due_at: c.reporterDueAt?.toISOString() ?? null,
      overdue_since: null,
      state: JSON.stringify({
        deadline: due && { due, from, rule: { n: 1, unit: 'workday' }, basis: c.basis ?? '测试时限' },
        reporterDeadline: c.reporterDueAt
          ? {
              due: c.reporterDueAt.toISOString(),
              from: null,
              rule: { n: 5, unit: 'workday' },
              basis: '上海市城市管理行政执法条例 第26条: 5 working days',
            }
          : null,
      }),
    })
    .execute();
  return id;
}

/** The demo skeleton's units (src/registry/demo-seed.service.ts) by kind and code. */
export async function demoUnits(db: Kysely<DB>) {
  const rows = await db.selectFrom('org_unit').select(['id', 'code', 'kind', 'path']).execute();
  const by = (kind: string) => {
    const u = rows.find((r) => r.kind === kind);
    if (!u) throw new Error(`no ${kind} unit in the test database`);
    return u;
  };
  return {
    bureau: by('bureau'),
    squad: by('squad'),
    workstation: by('workstation'),
    department: by('department'),
  };
}
