/**
 * Test factories for matching: the real category directory, two property companies and their compounds in
 * the seeded 莘庄镇, and reports (with their cases) written as intake stores them, so that the tests control
 * receipt times and points to the metre. Verification is a case_flow row with move 'check', as the case loop
 * writes it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { systemActor } from '../access/roles.js';
import type { Deps } from '../deps.js';
import { projectRoot } from '../platform/config/config.js';
import { newId } from '../platform/ids.js';
import { loadStandardCategories, standardDirectoryPath } from '../registry/categories.service.js';

export const XINZHUANG = '310112101';
export const BASE = { lng: 121.385, lat: 31.11 };
/** A point `east` / `north` metres from BASE (flat earth: exact enough for tens of metres). */
export const at = (east: number, north = 0) => ({
  lng: BASE.lng + east / (111_320 * Math.cos((BASE.lat * Math.PI) / 180)),
  lat: BASE.lat + north / 110_574,
});
/** An instant `hours` after 2026-03-01T00:00Z. */
export const h = (hours: number) => new Date(Date.UTC(2026, 2, 1) + hours * 3_600_000).toISOString();

export interface Fixture {
  subdistrict: { id: string; path: string };
  squadPath: string;
  companyA: string;
  companyB: string;
  compoundA: string;
  compoundB: string;
  addReport(r: NewReport): Promise<{ id: string; caseId: string }>;
  /** Records an officer's on-site check (核实) of a case. */
  check(caseId: string, at: string): Promise<void>;
}

export interface NewReport {
  channel: string;
  categoryKey?: string;
  point: { lng: number; lat: number };
  receivedAt: string;
  compoundId?: string | null;
  extra?: Record<string, unknown> | null;
}

let counter = 0;

export async function matchingFixture(deps: Deps): Promise<Fixture> {
  const db = deps.database.db;
  const csv = readFileSync(standardDirectoryPath(join(projectRoot(), '..', 'shared', 'data')), 'utf8');
  await loadStandardCategories(deps, { actor: systemActor('test') }, csv);
  const unit = async (code: string) =>
    db
      .selectFrom('org_unit')
      .select(['id', 'path', 'kind'])
      .where('code', '=', code)
      .executeTakeFirstOrThrow();
  const sub = await unit(XINZHUANG);
  const squad = await unit(`${XINZHUANG}-ZD`);
  const community = await unit(`${XINZHUANG}001`);
  const now = h(0);
  const company = async (name: string, credit: string) => {
    const id = newId();
    const unitId = newId();
    await db
      .insertInto('org_unit')
      .values({
        id: unitId,
        parent_id: sub.id,
        kind: 'propertyCompany',
        code: credit,
        name,
        name_en: null,
        path: `${sub.path}${unitId}/`,
        active: 1,
        created_at: now,
        updated_at: now,
        version: 1,
      })
      .execute();
    await db
      .insertInto('property_company')
      .values({
        id,
        unit_id: unitId,
        name,
        credit_code: credit,
        address: null,
        contact_name: null,
        contact_phone: null,
        active: 1,
        created_at: now,
        updated_at: now,
        version: 1,
      })
      .execute();
    return id;
  };
  const compound = async (code: string, name: string, companyId: string) => {
    const id = newId();
    await db
      .insertInto('compound')
      .values({
        id,
        code,
        name,
        address: null,
        lng: BASE.lng,
        lat: BASE.lat,
        community_id: community.id,
        property_company_id: companyId,
        owners_committee: null,
        active: 1,
        created_at: now,
        updated_at: now,
        version: 1,
      })
      .execute();
    return id;
  };
  const companyA = await company('甲物业', '91310112MA1GAAAAA1');
  const companyB = await company('乙物业', '91310112MA1GBBBBB2');
  const compoundA = await compound('K-A', '甲小区', companyA);
  const compoundB = await compound('K-B', '乙小区', companyB);
  return {
    subdistrict: { id: sub.id, path: sub.path },
    squadPath: squad.path,
    companyA,
    companyB,
    compoundA,
    compoundB,
    async addReport(r) {
      counter += 1;
      const id = newId();
      const caseId = newId();
      await db
        .insertInto('case_file')
        .values({
          id: caseId,
          code: `C${counter}-${id.slice(-6)}`,
          status: 'active',
          step: 'onSiteCheck',
          category_key: r.categoryKey ?? 'event:06001',
          lng: r.point.lng,
          lat: r.point.lat,
          responsible_unit_id: squad.id,
          unit_path: squad.path,
          opened_at: r.receivedAt,
          closed_at: null,
          created_at: r.receivedAt,
          updated_at: r.receivedAt,
          version: 1,
          channel: r.channel,
          parent_category_key: null,
          area_grade: null,
          handling_unit_id: null,
          handling_unit_path: null,
          step_started_at: null,
          due_at: null,
          reporter_due_at: null,
          overdue_since: null,
          state: null,
        })
        .execute();
      await db
        .insertInto('report')
        .values({
          id,
          tracking_code: `T${counter}-${id.slice(-8)}`,
          channel: r.channel,
          source_ticket_id: null,
          category_key: r.categoryKey ?? 'event:06001',
          description: 'test',
          lng: r.point.lng,
          lat: r.point.lat,
          source_crs: 'wgs84',
          source_lng: r.point.lng,
          source_lat: r.point.lat,
          accuracy_m: null,
          address: null,
          compound_id: r.compoundId ?? null,
          observed_at: null,
          received_at: r.receivedAt,
          reporter_name: null,
          reporter_phone: null,
          anonymous: 1,
          submitted_by: null,
          routing: '{}',
          responsible_unit_id: squad.id,
          rule_id: null,
          triage_unit_id: null,
          triage_reason: null,
          unit_path: squad.path,
          case_id: caseId,
          extra: r.extra ? JSON.stringify(r.extra) : null,
        })
        .execute();
      return { id, caseId };
    },
    async check(caseId, when) {
      await db
        .insertInto('case_flow')
        .values({
          id: newId(),
          case_id: caseId,
          seq: 1,
          track: 'loop',
          step: 'onSiteCheck',
          move: 'check',
          to_step: 'open',
          actor_id: 'officer',
          actor_name: null,
          role: 'officer',
          unit_id: squad.id,
          started_at: when,
          ended_at: when,
          deadline: null,
          on_time: null,
          note: null,
          reason: null,
          target_unit_id: null,
          attachments: '[]',
          detail: null,
        })
        .execute();
    },
  };
}
