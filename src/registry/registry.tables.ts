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
}

export interface RegistryTables {
  org_unit: OrgUnitTable;
}
