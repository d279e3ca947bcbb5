/** The roles of MISSION.md ("Who uses it") and the permissions each one carries. Pure. */
export const ROLES = [
  'bureauLeader',
  'bureauStaff',
  'squadLeader',
  'dispatcher',
  'officer',
  'workstationStaff',
  'departmentLiaison',
  'propertyCompany',
  'resident',
] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = [
  'scope:district', // sees every unit of the district, not only its own subtree
  'registry:read',
  'registry:write',
  'users:manage',
  'apikeys:manage',
  'audit:read',
  'reports:create',
  'reports:read',
  'reports:triage',
  'reports:import',
  'open311:submit',
  'cases:read',
  'cases:dispatch',
  'cases:handle',
  'cases:approve',
  'cases:verify',
  'enforcement:act',
  'dualReport:create',
  'dualReport:receive', // acknowledge a dual report's delivery, record arrival on site
  'patrols:plan',
  'patrols:record',
  'duty:issue', // issue and deliver duty notices (督促履职通知)
  'duty:reply', // a property company answers its duty notices
  'matching:read',
  'matching:write',
  'linkage:act',
  'community:act',
  'insight:read',
  'rules:manage',
  'calendar:manage',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const STAFF_READ: Permission[] = ['registry:read', 'reports:read', 'cases:read', 'matching:read', 'insight:read'];

/** What each role may do. Scope (which units) is separate: the user's unit and those below it. */
export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  bureauLeader: [...STAFF_READ, 'scope:district', 'audit:read', 'cases:approve', 'linkage:act', 'matching:write'],
  bureauStaff: [
    ...STAFF_READ,
    'scope:district',
    'registry:write',
    'users:manage',
    'apikeys:manage',
    'audit:read',
    'rules:manage',
    'calendar:manage',
    'reports:import',
    'linkage:act',
    'matching:write',
  ],
  squadLeader: [
    ...STAFF_READ,
    'reports:create',
    'reports:triage',
    'cases:dispatch',
    'cases:approve',
    'cases:verify',
    'enforcement:act',
    'linkage:act',
    'matching:write',
    'dualReport:receive',
    'patrols:plan',
    'patrols:record',
    'duty:issue',
  ],
  dispatcher: [...STAFF_READ, 'reports:create', 'reports:triage', 'cases:dispatch', 'matching:write', 'dualReport:receive', 'patrols:plan'],
  officer: ['registry:read', 'reports:create', 'reports:read', 'cases:read', 'cases:handle', 'cases:verify', 'enforcement:act', 'dualReport:receive', 'patrols:record'],
  workstationStaff: ['registry:read', 'reports:create', 'reports:read', 'cases:read', 'cases:handle', 'community:act'],
  departmentLiaison: ['registry:read', 'cases:read', 'cases:handle', 'linkage:act', 'matching:read', 'dualReport:receive'],
  propertyCompany: ['dualReport:create', 'reports:read', 'duty:reply'],
  resident: ['reports:create'],
};

export const isRole = (v: string): v is Role => (ROLES as readonly string[]).includes(v);
export const isPermission = (v: string): v is Permission => (PERMISSIONS as readonly string[]).includes(v);

/** Who acts: a signed-in user, a machine client with an API key, or the system itself (jobs, CLI). */
export interface Actor {
  kind: 'user' | 'apiKey' | 'system';
  id: string;
  name: string;
  role: Role | null;
  unitId: string;
  /** Materialised path of the actor's unit, e.g. '/u-bureau/u-sub/'. */
  unitPath: string;
  permissions: ReadonlySet<Permission>;
}

export const can = (actor: Actor, permission: Permission): boolean => actor.permissions.has(permission);

/** True when a record owned by the unit with this path is inside the actor's scope. */
export const inScope = (actor: Actor, unitPath: string): boolean =>
  actor.permissions.has('scope:district') || unitPath.startsWith(actor.unitPath);

/** The system actor used by jobs, migrations and the CLI; scope is the whole district. */
export const systemActor = (name: string, unitId = '', unitPath = '/'): Actor => ({
  kind: 'system',
  id: `system:${name}`,
  name,
  role: null,
  unitId,
  unitPath,
  permissions: new Set(PERMISSIONS),
});

/**
 * The path an actor's scope starts from. A squad is the enforcement team of its whole subdistrict
 * (GLOSSARY: 综合行政执法队), so its people see the subdistrict's subtree, not only the squad node.
 */
export function scopePathOf(unitKind: string, unitPath: string): string {
  if (unitKind !== 'squad') return unitPath;
  const parts = unitPath.split('/').filter(Boolean);
  return parts.length > 1 ? `/${parts.slice(0, -1).join('/')}/` : unitPath;
}
