/** Row shapes of the access tables. */
export interface AppUserTable {
  id: string;
  username: string;
  display_name: string;
  password_hash: string;
  role: string;
  unit_id: string;
  phone: string | null;
  active: number;
  created_at: string;
  updated_at: string;
  version: number;
}

export interface UserSessionTable {
  id: string;
  user_id: string;
  csrf_token: string;
  created_at: string;
  expires_at: string;
  ip: string | null;
  user_agent: string | null;
}

export interface ApiKeyTable {
  id: string;
  name: string;
  prefix: string;
  key_hash: string;
  unit_id: string;
  permissions: string;
  created_by: string | null;
  created_at: string;
  revoked_at: string | null;
  last_used_at: string | null;
}

export interface AuditEntryTable {
  seq: number;
  at: string;
  actor_kind: string;
  actor_id: string | null;
  actor_name: string | null;
  role: string | null;
  unit_id: string | null;
  action: string;
  entity: string;
  entity_id: string | null;
  summary: string;
  request_id: string | null;
  prev_hash: string;
  hash: string;
}

export interface AuditHeadTable {
  id: number;
  seq: number;
  hash: string;
}

export interface AccessTables {
  app_user: AppUserTable;
  user_session: UserSessionTable;
  api_key: ApiKeyTable;
  audit_entry: AuditEntryTable;
  audit_head: AuditHeadTable;
}
