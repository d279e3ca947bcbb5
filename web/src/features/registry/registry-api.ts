// The registry's HTTP API as the console reads it: the shapes of src/registry/*.routes.ts and
// src/access/access.routes.ts (users), and one function per request, all through the session's ApiClient.
import type { ApiClient } from '../../api/client';

/** WGS-84 [lng, lat]. */
export type LngLat = [number, number];
/** [minLng, minLat, maxLng, maxLat], WGS-84. */
export type BBox = [number, number, number, number];

// ---------------------------------------------------------------------------------------------------------
// Org units and users
// ---------------------------------------------------------------------------------------------------------

/** The kinds of GET /api/org-units (src/registry/org-units.ts). */
export const ORG_UNIT_KINDS = [
  'bureau',
  'subdistrict',
  'squad',
  'workstation',
  'sector',
  'community',
  'department',
  'propertyCompany',
] as const;

export interface OrgUnit {
  id: string;
  parentId: string | null;
  kind: string;
  code: string;
  name: string;
  nameEn: string | null;
  path: string;
  active: boolean;
  version: number;
}

export interface UserRow {
  id: string;
  username: string;
  displayName: string;
  role: string;
  unit: { id: string; name: string; code: string; kind: string };
  /** Masked by the server (e.g. 138****5678). */
  phone: string | null;
  active: boolean;
  version: number;
}

export const fetchOrgUnits = (api: ApiClient, signal?: AbortSignal) =>
  api.get<{ items: OrgUnit[] }>('/api/org-units', { query: { limit: 5000 }, signal }).then((r) => r.items);

export interface UserQuery {
  q?: string;
  role?: string;
  unitId?: string;
  includeInactive?: boolean;
  limit?: number;
}

export const fetchUsers = (api: ApiClient, f: UserQuery, signal?: AbortSignal) =>
  api
    .get<{ items: UserRow[] }>('/api/users', {
      query: {
        q: f.q || undefined,
        role: f.role,
        unitId: f.unitId,
        includeInactive: f.includeInactive ? 'true' : undefined,
        limit: f.limit ?? 1000,
      },
      signal,
    })
    .then((r) => r.items);

// ---------------------------------------------------------------------------------------------------------
// Parties and places (src/registry/parties.routes.ts)
// ---------------------------------------------------------------------------------------------------------

export interface UnitRef {
  id: string;
  code: string;
  name: string;
}

interface Versioned {
  id: string;
  active: boolean;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface PropertyCompany extends Versioned {
  unitId: string;
  parentUnit: UnitRef;
  name: string;
  creditCode: string;
  address: string | null;
  contactName: string | null;
  contactPhone: string | null;
}

/** The kinds of partner department (src/registry/parties.ts; categories default to the same list). */
export const DEPARTMENT_KINDS = [
  'police',
  'greening',
  'housing',
  'water',
  'planning',
  'market',
  'ecology',
  'illegalConstructionOffice',
  'data',
  'construction',
  'utility',
] as const;

export interface Department extends Versioned {
  unitId: string;
  code: string;
  kind: string;
  name: string;
  nameEn: string | null;
}

export interface Liaison extends Versioned {
  departmentId: string;
  name: string;
  title: string | null;
  phone: string | null;
  userId: string | null;
}

export interface Compound extends Versioned {
  code: string;
  name: string;
  address: string | null;
  location: { lng: number; lat: number } | null;
  community: UnitRef;
  propertyCompany: { id: string; name: string; creditCode: string } | null;
  ownersCommittee: string | null;
}

export interface Merchant extends Versioned {
  name: string;
  address: string | null;
  location: { lng: number; lat: number } | null;
  subdistrict: UnitRef;
  business: string | null;
}

/** Which records a list shows: the server's `active` filter. */
export type ActiveFilter = 'true' | 'false' | 'all';

export interface PartyQuery {
  q?: string;
  active?: ActiveFilter;
  subdistrictId?: string;
  kind?: string;
  limit?: number;
}

/** The list paths under /api/registry and the record each returns. */
export interface PartyPaths {
  compounds: Compound;
  'property-companies': PropertyCompany;
  departments: Department;
  merchants: Merchant;
}

export function fetchParties<K extends keyof PartyPaths>(
  api: ApiClient,
  kind: K,
  f: PartyQuery,
  signal?: AbortSignal,
): Promise<PartyPaths[K][]> {
  return api
    .get<{ items: PartyPaths[K][] }>(`/api/registry/${kind}`, {
      query: {
        q: f.q || undefined,
        active: f.active,
        subdistrictId: f.subdistrictId,
        kind: f.kind,
        limit: f.limit ?? 1000,
      },
      signal,
    })
    .then((r) => r.items);
}

export const fetchLiaisons = (api: ApiClient, departmentId: string, signal?: AbortSignal) =>
  api
    .get<{ items: Liaison[] }>(`/api/registry/departments/${encodeURIComponent(departmentId)}/liaisons`, {
      query: { active: 'all' },
      signal,
    })
    .then((r) => r.items);

// ---------------------------------------------------------------------------------------------------------
// Grid layers (src/registry/grid-layers.routes.ts)
// ---------------------------------------------------------------------------------------------------------

/** The layer that holds the district outline; drawn as a bold line, and the map fits to it. */
export const DISTRICT_LAYER = 'district';
/** The server's rule for layer names (grid-layers.service.ts). */
export const LAYER_NAME = /^[a-zA-Z][a-zA-Z0-9_-]{1,40}$/;
export const CRS_VALUES = ['wgs84', 'gcj02', 'bd09'] as const;
export type Crs = (typeof CRS_VALUES)[number];

export interface GridLayerSummaryRow {
  name: string;
  title: string;
  titleEn: string | null;
  generated: boolean;
  currentVersion: number | null;
  cellCount: number;
  sourceCrs: string | null;
  sourceName: string | null;
  importedAt: string | null;
  findingCounts: Record<string, number>;
}

export interface Finding {
  kind: string;
  severity: string;
  cellCodes: string[];
  areaM2?: number;
  location?: number[];
  message: string;
}

export interface GridLayerDetail {
  name: string;
  title: string;
  titleEn: string | null;
  generated: boolean;
  currentVersion: number | null;
  versions: Array<{
    version: number;
    cellCount: number;
    sourceCrs: string | null;
    sourceName: string | null;
    importedAt: string;
    findings: Finding[];
  }>;
}

export interface ImportSummary {
  cellCount: number;
  gapCount: number;
  gapAreaM2: number;
  overlapCount: number;
  overlapAreaM2: number;
  outsideCount: number;
  outsideAreaM2: number;
  ignored?: { gaps: number; overlaps: number; outside: number };
  clippingFailures?: number;
}

export interface CrsSanity {
  declaredCrs: string;
  sampledPoints: number;
  shareInside: Record<string, number>;
  bestCrs: string;
  suspect: boolean;
}

export interface ImportResult {
  layer: string;
  version: number | null;
  committed: boolean;
  cellCount: number;
  unitsMatched: number;
  findings: Finding[];
  summary: ImportSummary | null;
  crsSanity: CrsSanity | null;
}

export interface CellProperties {
  code: string;
  name: string | null;
  unitRef: string | null;
  unitId: string | null;
  [key: string]: unknown;
}

export interface CellCollection {
  type: 'FeatureCollection';
  name?: string;
  version?: number;
  generated?: boolean;
  features: Array<{
    type: 'Feature';
    properties: CellProperties;
    geometry: { type: 'MultiPolygon' | 'Polygon'; coordinates: unknown };
  }>;
}

export const fetchGridLayers = (api: ApiClient, signal?: AbortSignal) =>
  api.get<{ items: GridLayerSummaryRow[] }>('/api/grid-layers', { signal }).then((r) => r.items);

export const fetchGridLayer = (api: ApiClient, name: string, signal?: AbortSignal) =>
  api.get<GridLayerDetail>(`/api/grid-layers/${encodeURIComponent(name)}`, { signal });

export const fetchLayerCells = (api: ApiClient, name: string, bbox: BBox | undefined, signal?: AbortSignal) =>
  api.get<CellCollection>(`/api/grid-layers/${encodeURIComponent(name)}/geojson`, {
    query: { bbox: bbox ? bbox.map((v) => v.toFixed(6)).join(',') : undefined },
    signal,
  });

export interface ImportOptions {
  layer: string;
  crs: Crs;
  codeField?: string;
  unitField?: string;
  title?: string;
  strict: boolean;
  dryRun: boolean;
}

export const importLayer = (api: ApiClient, o: ImportOptions, geojson: unknown) =>
  api.post<ImportResult>(`/api/grid-layers/${encodeURIComponent(o.layer)}/import`, geojson, {
    query: {
      crs: o.crs,
      codeField: o.codeField || undefined,
      unitField: o.unitField || undefined,
      title: o.title || undefined,
      strict: o.strict ? 'true' : 'false',
      dryRun: o.dryRun ? 'true' : undefined,
    },
  });

// ---------------------------------------------------------------------------------------------------------
// Categories (src/registry/categories.routes.ts)
// ---------------------------------------------------------------------------------------------------------

export const CATEGORY_KINDS = ['component', 'event'] as const;
export type CategoryKind = (typeof CATEGORY_KINDS)[number];

export interface Category {
  key: string;
  kind: CategoryKind;
  code: string;
  majorCode: string;
  majorName: string;
  majorNameEn: string | null;
  parentKey: string | null;
  name: string;
  nameEn: string;
  local: boolean;
  family: string | null;
  defaultUnitKind: string | null;
  defaultTimeLimit: string | null;
  active: boolean;
  version: number;
}

export interface MajorClass {
  kind: CategoryKind;
  code: string;
  name: string;
  nameEn: string | null;
  count: number;
  localCount: number;
}

export interface CategoryQuery {
  kind?: CategoryKind;
  major?: string;
  q?: string;
  local?: boolean;
  includeInactive?: boolean;
}

export const fetchMajorClasses = (api: ApiClient, signal?: AbortSignal) =>
  api.get<{ items: MajorClass[] }>('/api/categories/majors', { signal }).then((r) => r.items);

export const fetchCategories = (api: ApiClient, f: CategoryQuery, signal?: AbortSignal) =>
  api
    .get<{ items: Category[] }>('/api/categories', {
      query: {
        kind: f.kind,
        major: f.major,
        q: f.q || undefined,
        local: f.local ? 'true' : undefined,
        includeInactive: f.includeInactive ? 'true' : undefined,
        limit: 5000,
      },
      signal,
    })
    .then((r) => r.items);
