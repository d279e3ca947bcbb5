import type { MigrationSet } from '../platform/db/migrate.js';
import * as m202611291600 from './202611291600_create_platform.js';
import * as m202611291700 from './202611291700_create_registry.js';
import * as m202611291800 from './202611291800_create_intake.js';
import * as m202611291900 from './202611291900_create_cases.js';
import * as m202611292000 from './202611292000_create_dual_report.js';
import * as m202611292100 from './202611292100_create_matching.js';
import * as m202611292200 from './202611292200_drop_case_status_category.js';

/** Every migration, by its timestamped name. Add one line per new migration file. */
export const migrations: MigrationSet = {
  '202611291600_create_platform': m202611291600,
  '202611291700_create_registry': m202611291700,
  '202611291800_create_intake': m202611291800,
  '202611291900_create_cases': m202611291900,
  '202611292000_create_dual_report': m202611292000,
  '202611292100_create_matching': m202611292100,
  '202611292200_drop_case_status_category': m202611292200,
};
