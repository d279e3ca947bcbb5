import type { Generated } from 'kysely';
/** Row shapes of intake, routing and the minimal case table. */
export interface CaseFileTable {
  id: string;
  code: string;
  status: string;
  step: string;
  category_key: string | null;
  lng: number | null;
  lat: number | null;
  responsible_unit_id: string | null;
  unit_path: string | null;
  opened_at: string;
  closed_at: string | null;
  created_at: string;
  updated_at: string;
  version: number;
  // Added by 202611291900_create_cases (the case loop); see src/cases/cases.tables.ts.
  channel: string | null;
  parent_category_key: string | null;
  area_grade: string | null;
  under_way: Generated<number>;
  handling_unit_id: string | null;
  handling_unit_path: string | null;
  step_started_at: string | null;
  due_at: string | null;
  reporter_due_at: string | null;
  overdue_since: string | null;
  escalation_level: Generated<number>;
  /** JSON CaseState; null only for rows written before the loop existed. */
  state: string | null;
}

export interface ReportTable {
  id: string;
  tracking_code: string;
  channel: string;
  source_ticket_id: string | null;
  category_key: string | null;
  description: string;
  lng: number | null;
  lat: number | null;
  source_crs: string | null;
  source_lng: number | null;
  source_lat: number | null;
  accuracy_m: number | null;
  address: string | null;
  compound_id: string | null;
  observed_at: string | null;
  received_at: string;
  reporter_name: string | null;
  reporter_phone: string | null;
  anonymous: number;
  submitted_by: string | null;
  routing: string;
  responsible_unit_id: string | null;
  rule_id: string | null;
  triage_unit_id: string | null;
  triage_reason: string | null;
  unit_path: string;
  case_id: string | null;
  extra: string | null;
}

export interface AttachmentTable {
  id: string;
  original_sha256: string;
  served_sha256: string;
  thumb_sha256: string | null;
  mime: string;
  bytes: number;
  width: number | null;
  height: number | null;
  report_id: string | null;
  case_id: string | null;
  uploaded_by: string | null;
  created_at: string;
}

export interface IdempotencyRecordTable {
  key: string;
  principal: string;
  request_hash: string;
  status_code: number;
  response: string;
  created_at: string;
}

export interface ResponsibilityRuleTable {
  id: string;
  category_key: string | null;
  major_code: string | null;
  area_kind: string;
  area_unit_id: string | null;
  area_layer: string | null;
  area_cell_code: string | null;
  lead: string;
  assisting: string;
  priority: number;
  note: string | null;
  active: number;
  created_at: string;
  updated_at: string;
  version: number;
}

export interface IntakeTables {
  case_file: CaseFileTable;
  report: ReportTable;
  attachment: AttachmentTable;
  idempotency_record: IdempotencyRecordTable;
  responsibility_rule: ResponsibilityRuleTable;
}
