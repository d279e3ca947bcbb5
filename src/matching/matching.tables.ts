/** Row shapes of sites and their links (migration 202611292100_create_matching). */
// eslint-disable-next-line @typescript-eslint/no-empty-interface, @typescript-eslint/no-empty-object-type -- filled in by the issue-6 work
export interface MatchingTables {}
