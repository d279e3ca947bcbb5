/**
 * Test support for the case services: the demo skeleton's units (bureau, 莘庄 with its squad and a
 * workstation, the 拆违办 department), one actor per role where the loop needs it, and a way to open a case
 * with a report as intake would, without the routing engine.
 */
import { audited } from '../access/audit.service.js';
import { ROLE_PERMISSIONS, scopePathOf, systemActor, type Actor, type Role } from '../access/roles.js';
import type { Deps } from '../deps.js';
import { newId } from '../platform/ids.js';
import { makeCaseCode, makeTrackingCode } from '../intake/reports.js';
import { randomBytes } from 'node:crypto';
import { caseRulesOf, openCaseForReport } from './cases.service.js';

export const SQUAD = '310112101-ZD';
export const WORKSTATION = '310112101-GZZ01';
export const DEPARTMENT = '310112-D-illegalConstructionOffice';

export interface Units {
  id(code: string): string;
  path(code: string): string;
  actor(role: Role, code: string): Actor;
}

export async function skeletonUnits(deps: Deps): Promise<Units> {
  const rows = await deps.database.db.selectFrom('org_unit').select(['id', 'code', 'kind', 'path']).execute();
  const byCode = new Map(rows.map((r) => [r.code, r]));
  const unit = (code: string) => {
    const u = byCode.get(code);
    if (!u) throw new Error(`no unit ${code}`);
    return u;
  };
  return {
    id: (code) => unit(code).id,
    path: (code) => unit(code).path,
    actor(role, code) {
      const u = unit(code);
      return {
        kind: 'user',
        id: `u-${role}-${code}`,
        name: `${role}@${code}`,
        role,
        unitId: u.id,
        unitPath: scopePathOf(u.kind, u.path),
        permissions: new Set(ROLE_PERMISSIONS[role]),
      };
    },
  };
}

/** Opens a case with one report in the squad's area, as intake's receipt does; answers the case id. */
export async function openTestCase(
  deps: Deps,
  units: Units,
  o: {
    channel?: string;
    lng?: number;
    lat?: number;
    phone?: string | null;
    categoryKey?: string | null;
  } = {},
): Promise<string> {
  const now = deps.clock();
  const caseId = newId();
  const channel = o.channel ?? 'resident';
  const lng = o.lng ?? 121.385;
  const lat = o.lat ?? 31.111;
  const limits = await caseRulesOf(deps).limits(); // before the transaction (see caseRulesOf)
  await audited(deps, { actor: systemActor('test') }, async (tx, audit) => {
    await openCaseForReport(tx, limits, {
      id: caseId,
      code: makeCaseCode(now, randomBytes(6)),
      channel,
      categoryKey: o.categoryKey ?? null,
      receivedAt: now,
      point: { lng, lat },
      unitPath: units.path(SQUAD),
      routedUnitId: units.id(SQUAD),
    });
    await tx
      .insertInto('report')
      .values({
        id: newId(),
        tracking_code: makeTrackingCode(randomBytes(9)),
        channel,
        source_ticket_id: null,
        category_key: null,
        description: 'garbage by the gate',
        lng,
        lat,
        source_crs: 'wgs84',
        source_lng: lng,
        source_lat: lat,
        accuracy_m: null,
        address: null,
        compound_id: null,
        observed_at: null,
        received_at: now.toISOString(),
        reporter_name: 'Wu',
        reporter_phone: o.phone === undefined ? '13900001111' : o.phone,
        anonymous: 0,
        submitted_by: null,
        routing: '{}',
        responsible_unit_id: units.id(SQUAD),
        rule_id: null,
        triage_unit_id: null,
        triage_reason: null,
        unit_path: units.path(SQUAD),
        case_id: caseId,
        extra: null,
      })
      .execute();
    await audit({ action: 'report.receive', entity: 'case', entityId: caseId });
  });
  return caseId;
}
