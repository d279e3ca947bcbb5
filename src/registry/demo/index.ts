/**
 * The demo district of 闵行区. The geometry is GENERATED, NOT OFFICIAL: only the outline and the names and
 * codes of subdistricts and communities are real; see demo-district.ts for what is generated and how.
 */
export { loadMinhangSources, loadDistrictSources, MINHANG_DISTRICT_CODE } from './sources.js';
export type { DistrictSources, SourceCommunity, SourceSubdistrict } from './sources.js';
export { generateDemoDistrict, demoDistrictSummary, UNIT_CELL_SIZE_M } from './demo-district.js';
export type {
  DemoCommunity,
  DemoCompound,
  DemoDepartment,
  DemoDistrict,
  DemoMerchant,
  DemoPoliceBeat,
  DemoPropertyCompany,
  DemoSubdistrict,
  DemoUnitCell,
  DemoWorkstationArea,
  DepartmentKey,
  GenerateOptions,
  MultiPolygonGeometry,
  PointGeometry,
  Position,
  Sector,
} from './demo-district.js';
