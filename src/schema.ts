import type { AccessTables } from './access/access.tables.js';
import type { CasesTables } from './cases/cases.tables.js';
import type { DualReportTables } from './dualreport/dual-report.tables.js';
import type { IntakeTables } from './intake/intake.tables.js';
import type { MatchingTables } from './matching/matching.tables.js';
import type { JobTables } from './platform/jobs/jobs.tables.js';
import type { RegistryTables } from './registry/registry.tables.js';

/** The whole database, as Kysely sees it: the union of every capability's tables. */
export interface DB
  extends AccessTables,
    RegistryTables,
    JobTables,
    IntakeTables,
    CasesTables,
    DualReportTables,
    MatchingTables {}
