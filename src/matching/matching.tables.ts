/** Row shapes of sites and their links (migration 202611292100_create_matching). */
export interface SiteTable {
  id: string;
  first_report_id: string;
  first_channel: string;
  first_received_at: string;
  last_received_at: string;
  report_count: number;
  /** JSON string[] */
  channels: string;
  lng: number;
  lat: number;
  compound_id: string | null;
  property_company_id: string | null;
  subdistrict_id: string | null;
  unit_path: string;
  verified: number;
  verified_at: string | null;
  built_at: string;
}

export interface SiteReportTable {
  report_id: string;
  site_id: string;
  seq: number;
  channel: string;
  received_at: string;
  discovered_at: string | null;
  property_company_id: string | null;
  place_text: string | null;
  verified_at: string | null;
  /** JSON Link[] (src/matching/sites.ts) */
  links: string;
}

export interface SiteOverrideTable {
  id: string;
  /** split | join */
  kind: string;
  report_id: string;
  other_report_id: string | null;
  reason: string | null;
  created_by: string;
  created_at: string;
}

export interface MatchingRunTable {
  id: string;
  at: string;
  actor_id: string;
  distance_m: number;
  window_days: number;
  reports: number;
  sites: number;
}

export interface MatchingTables {
  site: SiteTable;
  site_report: SiteReportTable;
  site_override: SiteOverrideTable;
  matching_run: MatchingRunTable;
}
