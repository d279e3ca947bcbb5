/** Row shapes of the dual report, patrols and duty notices (migration 202611292000_create_dual_report). */
// eslint-disable-next-line @typescript-eslint/no-empty-interface, @typescript-eslint/no-empty-object-type -- filled in by the issue-6 work
export interface DualReportTables {}
