/** Row shapes of the dual report, patrols and duty notices (migration 202611292000_create_dual_report). */
export interface DualReportTable {
  report_id: string;
  company_id: string;
  compound_id: string;
  building: string | null;
  unit: string | null;
  room: string | null;
  discovered_at: string;
  reported_at: string;
  under_way: number;
  dissuasion: string | null;
  no_dissuasion_reason: string | null;
  lag_minutes: number;
  late: number;
  submitted_by: string;
}

export interface DeliveryTable {
  id: string;
  report_id: string;
  recipient: string;
  unit_id: string;
  unit_path: string;
  receipt_code: string;
  delivered_at: string;
  ack_deadline: string;
  ack_basis: string;
  on_site_deadline: string;
  on_site_basis: string;
  acknowledged_at: string | null;
  acknowledged_by: string | null;
  on_site_at: string | null;
  on_site_by: string | null;
}

export interface PatrolPlanTable {
  id: string;
  unit_id: string;
  unit_path: string;
  name: string;
  officer_ids: string;
  compound_ids: string;
  area: string | null;
  weekdays: string;
  start_time: string;
  end_time: string;
  valid_from: string;
  valid_to: string | null;
  active: number;
  created_at: string;
  updated_at: string;
  version: number;
}

export interface PatrolRecordTable {
  id: string;
  plan_id: string | null;
  officer_id: string;
  unit_id: string;
  unit_path: string;
  started_at: string;
  ended_at: string | null;
  track: string | null;
  findings: string;
}

export interface PatrolCoveredTable {
  record_id: string;
  compound_id: string;
  started_at: string;
}

export interface DutyNoticeTable {
  id: string;
  company_id: string;
  unit_id: string;
  unit_path: string;
  missed: string;
  note: string | null;
  issued_at: string;
  issued_by: string;
  delivered_at: string | null;
  delivered_by: string | null;
  reply: string | null;
  replied_at: string | null;
  replied_by: string | null;
}

export interface DualReportTables {
  dual_report: DualReportTable;
  delivery: DeliveryTable;
  patrol_plan: PatrolPlanTable;
  patrol_record: PatrolRecordTable;
  patrol_covered: PatrolCoveredTable;
  duty_notice: DutyNoticeTable;
}
