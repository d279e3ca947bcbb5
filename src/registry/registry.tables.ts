/** Row shapes of the registry's tables (snake_case as in the database). */
export interface OrgUnitTable {
  id: string;
  parent_id: string | null;
  kind: string;
  code: string;
  name: string;
  name_en: string | null;
  path: string;
  active: number;
  created_at: string;
  updated_at: string;
  version: number;
  /** street | town for subdistricts. Optional on insert (nullable column added by a later migration). */
  sub_kind?: string | null;
}

interface Audited {
  active: number;
  created_at: string;
  updated_at: string;
  version: number;
}

export interface PropertyCompanyTable extends Audited {
  id: string;
  unit_id: string;
  name: string;
  credit_code: string;
  address: string | null;
  contact_name: string | null;
  contact_phone: string | null;
}

export interface DepartmentTable extends Audited {
  id: string;
  unit_id: string;
  kind: string;
  name: string;
  name_en: string | null;
}

export interface LiaisonTable extends Audited {
  id: string;
  department_id: string;
  name: string;
  title: string | null;
  phone: string | null;
  user_id: string | null;
}

export interface CompoundTable extends Audited {
  id: string;
  code: string;
  name: string;
  address: string | null;
  lng: number | null;
  lat: number | null;
  community_id: string;
  property_company_id: string | null;
  owners_committee: string | null;
}

export interface MerchantTable extends Audited {
  id: string;
  name: string;
  address: string | null;
  lng: number | null;
  lat: number | null;
  subdistrict_id: string;
  business: string | null;
}

export interface GridLayerTable {
  id: string;
  name: string;
  title: string;
  title_en: string | null;
  current_version: number | null;
  generated: number;
  created_at: string;
  updated_at: string;
}

export interface GridLayerVersionTable {
  id: string;
  layer_id: string;
  version: number;
  source_name: string | null;
  source_crs: string;
  cell_count: number;
  findings: string;
  imported_by: string | null;
  imported_at: string;
}

export interface GridCellTable {
  id: string;
  layer_version_id: string;
  code: string;
  unit_ref: string | null;
  unit_id: string | null;
  name: string | null;
  geometry: string;
  min_lng: number;
  min_lat: number;
  max_lng: number;
  max_lat: number;
  area_m2: number;
  properties: string | null;
}

export interface CategoryTable {
  key: string;
  kind: string;
  code: string;
  major_code: string;
  major_name: string;
  major_name_en: string | null;
  parent_key: string | null;
  name: string;
  name_en: string;
  local: number;
  family: string | null;
  default_unit_kind: string | null;
  default_time_limit: string | null;
  active: number;
  created_at: string;
  updated_at: string;
  version: number;
}

export interface RegistryTables {
  org_unit: OrgUnitTable;
  property_company: PropertyCompanyTable;
  department: DepartmentTable;
  liaison: LiaisonTable;
  compound: CompoundTable;
  merchant: MerchantTable;
  grid_layer: GridLayerTable;
  grid_layer_version: GridLayerVersionTable;
  grid_cell: GridCellTable;
  category: CategoryTable;
}
