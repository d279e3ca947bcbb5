/**
 * Test helpers of the case rules, ratings and followers: actors of the seeded skeleton's units, the
 * category directory, and cases put straight into the state a test needs (the case loop's moves are the
 * case service's, tested there).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Deps } from '../deps.js';
import { ROLE_PERMISSIONS, scopePathOf, systemActor, type Actor, type Role } from '../access/roles.js';
import { projectRoot } from '../platform/config/config.js';
import { newId } from '../platform/ids.js';
import { loadStandardCategories, standardDirectoryPath } from '../registry/categories.service.js';
import { makeTrackingCode } from '../intake/reports.js';

/** Codes of the units seedDemoBasics makes (registry/demo-seed.service.ts). */
export const UNIT = {
  bureau: '310112',
  xinzhuang: '310112101',
  squad: '310112101-ZD',
  workstation: '310112101-GZZ01',
} as const;

export async function unitOf(
  deps: Pick<Deps, 'database'>,
  code: string,
): Promise<{ id: string; path: string; kind: string }> {
  return deps.database.db
    .selectFrom('org_unit')
    .select(['id', 'path', 'kind'])
    .where('code', '=', code)
    .executeTakeFirstOrThrow();
}

/** An actor of a role in a seeded unit, with that role's permissions and scope. */
export async function actorOf(deps: Pick<Deps, 'database'>, role: Role, unitCode: string): Promise<Actor> {
  const u = await unitOf(deps, unitCode);
  return {
    kind: 'user',
    id: `u-${role}-${unitCode}`,
    name: `${role}@${unitCode}`,
    role,
    unitId: u.id,
    unitPath: scopePathOf(u.kind, u.path),
    permissions: new Set(ROLE_PERMISSIONS[role]),
  };
}

/** Loads the standard category directory and the bureau's default local categories (with their limits). */
export async function loadCategories(deps: Deps): Promise<void> {
  const csv = readFileSync(standardDirectoryPath(join(projectRoot(), '..', 'shared', 'data')), 'utf8');
  await loadStandardCategories(deps, { actor: systemActor('test') }, csv);
}

export interface TestCase {
  id: string;
  code: string;
}

/** Inserts a case in a given state; the responsible unit is a seeded unit (the workstation by default). */
export async function insertCase(
  deps: Pick<Deps, 'database'>,
  opts: { status: string; unitCode?: string; categoryKey?: string | null; reopenCount?: number },
): Promise<TestCase> {
  const u = await unitOf(deps, opts.unitCode ?? UNIT.workstation);
  const id = newId();
  const code = `20261130-${randomBytes(3).toString('hex').toUpperCase()}`;
  const at = '2026-11-30T02:00:00.000Z';
  await deps.database.db
    .insertInto('case_file')
    .values({
      id,
      code,
      status: opts.status,
      step: opts.status === 'closed' ? 'evaluate' : 'handle',
      category_key: opts.categoryKey ?? null,
      lng: 121.38,
      lat: 31.11,
      responsible_unit_id: u.id,
      unit_path: u.path,
      opened_at: at,
      closed_at: opts.status === 'closed' ? at : null,
      created_at: at,
      updated_at: at,
      version: 1,
      channel: 'resident',
      parent_category_key: null,
      area_grade: null,
      handling_unit_id: u.id,
      handling_unit_path: u.path,
      step_started_at: at,
      due_at: null,
      reporter_due_at: null,
      overdue_since: null,
      state: JSON.stringify({ id, status: opts.status, reopenCount: opts.reopenCount ?? 0 }),
    })
    .execute();
  return { id, code };
}

/** Moves a test case to another status and reopen count, as the case service's close / reopen would. */
export async function setCase(
  deps: Pick<Deps, 'database'>,
  id: string,
  opts: { status: string; reopenCount: number },
): Promise<void> {
  await deps.database.db
    .updateTable('case_file')
    .set({
      status: opts.status,
      state: JSON.stringify({ id, status: opts.status, reopenCount: opts.reopenCount }),
    })
    .where('id', '=', id)
    .execute();
}

/** Inserts a report of a case with a fresh tracking code; returns the code. */
export async function insertReport(
  deps: Pick<Deps, 'database'>,
  c: TestCase,
): Promise<{ id: string; trackingCode: string }> {
  const id = newId();
  const trackingCode = makeTrackingCode(randomBytes(9));
  const path =
    (
      await deps.database.db
        .selectFrom('case_file')
        .select('unit_path')
        .where('id', '=', c.id)
        .executeTakeFirstOrThrow()
    ).unit_path ?? '/';
  await deps.database.db
    .insertInto('report')
    .values({
      id,
      tracking_code: trackingCode,
      channel: 'resident',
      source_ticket_id: null,
      category_key: null,
      description: 'test report',
      lng: 121.38,
      lat: 31.11,
      source_crs: 'wgs84',
      source_lng: 121.38,
      source_lat: 31.11,
      accuracy_m: null,
      address: null,
      compound_id: null,
      observed_at: null,
      received_at: '2026-11-30T01:00:00.000Z',
      reporter_name: null,
      reporter_phone: null,
      anonymous: 1,
      submitted_by: null,
      routing: '{}',
      responsible_unit_id: null,
      rule_id: null,
      triage_unit_id: null,
      triage_reason: null,
      unit_path: path,
      case_id: c.id,
      extra: null,
    })
    .execute();
  return { id, trackingCode };
}

/** Counts rows of the tables these capabilities write. */
export async function countRows(
  deps: Pick<Deps, 'database'>,
  table:
    | 'case_rating'
    | 'case_alert'
    | 'case_follower'
    | 'audit_entry'
    | 'time_limit'
    | 'calendar_override'
    | 'calendar_year',
): Promise<number> {
  const r = await deps.database.db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}
