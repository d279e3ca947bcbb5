import type { Generated } from 'kysely';

/** Row shapes of the case loop (migration 202611291900_create_cases). case_file itself is in intake.tables. */
export interface CaseFlowTable {
  id: string;
  case_id: string;
  seq: number;
  /** loop | enforcement */
  track: string;
  step: string;
  move: string;
  to_step: string;
  actor_id: string;
  actor_name: string | null;
  role: string | null;
  unit_id: string | null;
  started_at: string;
  ended_at: string;
  /** JSON Deadline (rule + legal basis) */
  deadline: string | null;
  on_time: number | null;
  note: string | null;
  reason: string | null;
  target_unit_id: string | null;
  /** JSON string[] */
  attachments: string;
  /** JSON, move-specific */
  detail: string | null;
}

export interface CaseEnforcementTable {
  case_id: string;
  step: string;
  /** JSON EnforcementState */
  state: string;
  due_at: string | null;
  created_at: string;
  updated_at: string;
  version: Generated<number>;
}

export interface TimeLimitTableRow {
  id: string;
  scope: string;
  grade: string;
  step: string;
  n: number;
  unit: string;
  basis: string;
  updated_at: string;
  updated_by: string | null;
  version: Generated<number>;
}

export interface CalendarOverrideTable {
  date: string;
  /** holiday | workday */
  kind: string;
  name: string | null;
  updated_at: string;
  updated_by: string | null;
}

export interface CalendarYearTable {
  year: number;
  note: string | null;
  updated_at: string;
}

export interface CaseRatingTable {
  id: string;
  case_id: string;
  round: number;
  /** satisfied | basicallySatisfied | dissatisfied */
  rating: string;
  comment: string | null;
  /** reporter | callback */
  source: string;
  report_id: string | null;
  rated_by: string | null;
  rated_at: string;
  unit_id: string | null;
  category_key: string | null;
  month: string;
  handled_at: string | null;
}

export interface CaseFollowerTable {
  id: string;
  case_id: string;
  tracking_code: string;
  name: string | null;
  phone: string | null;
  created_at: string;
}

export interface CaseAlertTable {
  id: string;
  dedupe_key: string;
  case_id: string;
  /** one of ALERT_KINDS (cases/alerts.ts: the case sweep's and the delivery sweep's) or dissatisfied */
  kind: string;
  unit_id: string;
  role: string | null;
  message: string;
  due_at: string | null;
  created_at: string;
  read_at: string | null;
}

export interface CasesTables {
  case_flow: CaseFlowTable;
  case_enforcement: CaseEnforcementTable;
  time_limit: TimeLimitTableRow;
  calendar_override: CalendarOverrideTable;
  calendar_year: CalendarYearTable;
  case_rating: CaseRatingTable;
  case_follower: CaseFollowerTable;
  case_alert: CaseAlertTable;
}
