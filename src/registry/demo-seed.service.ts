import type { Deps } from '../deps.js';
import { audited } from '../access/audit.service.js';
import { countUsers, insertUser } from '../access/access.store.js';
import { hashPassword } from '../access/passwords.js';
import { systemActor, type Role } from '../access/roles.js';
import { newId } from '../platform/ids.js';
import { childPath, type OrgUnitKind } from './org-units.js';
import { insertOrgUnit, findOrgUnitByCode, findOrgUnit } from './org-units.store.js';
import { creditCodeCheckChar } from './codes.js';

/** The demo password of every demo user, printed at start-up. Demo databases only. */
export const DEMO_PASSWORD = 'OneGrid-demo-2026';

export interface DemoLogin {
  username: string;
  role: Role;
  displayName: string;
  unitName: string;
}

interface UnitSpec {
  key: string;
  parent: string | null;
  kind: OrgUnitKind;
  code: string;
  name: string;
  nameEn: string;
}

// The skeleton of 闵行区 that the platform needs for its demo users: real names and statistical codes
// (shared/data/shanghai-divisions). The full district (all subdistricts, communities, grids) is built by
// `onegrid demo`.
const UNITS: UnitSpec[] = [
  { key: 'bureau', parent: null, kind: 'bureau', code: '310112', name: '闵行区城市管理行政执法局', nameEn: 'Minhang District Urban Management Bureau' },
  { key: 'xinzhuang', parent: 'bureau', kind: 'subdistrict', code: '310112101', name: '莘庄镇', nameEn: 'Xinzhuang Town' },
  { key: 'squad', parent: 'xinzhuang', kind: 'squad', code: '310112101-ZD', name: '莘庄镇城管执法中队', nameEn: 'Xinzhuang Enforcement Squad' },
  { key: 'workstation', parent: 'xinzhuang', kind: 'workstation', code: '310112101-GZZ01', name: '莘庄镇东街城管社区工作站', nameEn: 'Xinzhuang Dongjie Workstation' },
  { key: 'community', parent: 'workstation', kind: 'community', code: '310112101001', name: '东街居委会', nameEn: 'Dongjie Residents’ Committee' },
  { key: 'chaiweiban', parent: 'bureau', kind: 'department', code: '310112-D-illegalConstructionOffice', name: '闵行区拆除违法建筑工作办公室', nameEn: 'Minhang Illegal Construction Removal Office' },
  { key: 'propertyCo', parent: 'xinzhuang', kind: 'propertyCompany', code: `91310112MA1GBX000${creditCodeCheckChar('91310112MA1GBX000')}`, name: '上海莘城物业管理有限公司', nameEn: 'Shanghai Xincheng Property Management Co.' },
];

const USERS: Array<{ username: string; role: Role; displayName: string; unit: string }> = [
  { username: 'leader', role: 'bureauLeader', displayName: '王局长', unit: 'bureau' },
  { username: 'bureaustaff', role: 'bureauStaff', displayName: '李科员', unit: 'bureau' },
  { username: 'squadleader', role: 'squadLeader', displayName: '张中队长', unit: 'squad' },
  { username: 'dispatcher', role: 'dispatcher', displayName: '陈受理员', unit: 'squad' },
  { username: 'officer', role: 'officer', displayName: '刘队员', unit: 'squad' },
  { username: 'workstation', role: 'workstationStaff', displayName: '赵站长', unit: 'workstation' },
  { username: 'liaison', role: 'departmentLiaison', displayName: '孙联络员', unit: 'chaiweiban' },
  { username: 'property', role: 'propertyCompany', displayName: '周经理', unit: 'propertyCo' },
  { username: 'resident', role: 'resident', displayName: '吴居民', unit: 'community' },
];

/**
 * On an empty database, creates one demo user per role (audited as the system), in the units `placed`
 * names (the full demo district's), or else in a small skeleton of 闵行区 made here. Does nothing when
 * users exist. Returns the logins to print.
 */
export async function seedDemoBasics(deps: Deps, placed: Record<string, string> = {}): Promise<DemoLogin[] | null> {
  if ((await countUsers(deps.database.db)) > 0) return null;
  const passwordHash = await hashPassword(DEMO_PASSWORD, deps.config.argon2);
  const now = deps.clock().toISOString();
  return audited(deps, { actor: systemActor('demo') }, async (tx, audit) => {
    const units = new Map<string, { id: string; path: string; name: string }>();
    for (const u of UNITS) {
      const given = placed[u.key] ? await findOrgUnit(tx, placed[u.key]!) : undefined;
      const existing = given ?? (await findOrgUnitByCode(tx, u.kind, u.code));
      if (existing) {
        units.set(u.key, existing);
        continue;
      }
      const parent = u.parent ? units.get(u.parent) : undefined;
      const id = newId();
      const path = childPath(parent?.path ?? null, id);
      await insertOrgUnit(tx, {
        id,
        parent_id: parent?.id ?? null,
        kind: u.kind,
        code: u.code,
        name: u.name,
        name_en: u.nameEn,
        path,
        active: 1,
        created_at: now,
        updated_at: now,
        version: 1,
      });
      units.set(u.key, { id, path, name: u.name });
    }
    const logins: DemoLogin[] = [];
    for (const u of USERS) {
      const unit = units.get(u.unit);
      if (!unit) throw new Error(`demo unit ${u.unit} missing`);
      await insertUser(tx, {
        id: newId(),
        username: u.username,
        display_name: u.displayName,
        password_hash: passwordHash,
        role: u.role,
        unit_id: unit.id,
        phone: null,
        active: 1,
        created_at: now,
        updated_at: now,
        version: 1,
      });
      logins.push({ username: u.username, role: u.role, displayName: u.displayName, unitName: unit.name });
    }
    await audit({ action: 'demo.seedBasics', entity: 'demo', after: { units: UNITS.length, users: USERS.length } });
    return logins;
  });
}
