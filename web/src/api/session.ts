import type { ApiClient } from './client';

/** The nine roles of MISSION.md; the server may add more, so a role is kept as a string too. */
export const ROLES = [
  'bureauLeader',
  'bureauStaff',
  'squadLeader',
  'dispatcher',
  'officer',
  'workstationStaff',
  'departmentLiaison',
  'propertyCompany',
  'resident',
] as const;
export type Role = (typeof ROLES)[number];

export interface SessionUnit {
  id: string;
  code: string;
  name: string;
  /** The unit's English name, when the registry has one. */
  nameEn?: string | null;
  kind: string;
}

/** The unit's name in the console's language: the English name in English when there is one. */
export const unitDisplayName = (unit: SessionUnit, locale: string): string =>
  locale === 'en' && unit.nameEn ? unit.nameEn : unit.name;

export interface SessionUser {
  id: string;
  username: string;
  displayName: string;
  role: Role | (string & {});
  unit: SessionUnit;
  permissions: string[];
}

export interface SessionResponse {
  user: SessionUser;
  csrfToken: string;
}

/** GET /api/me: the signed-in user and a fresh CSRF token; ApiError 401 when nobody is signed in. */
export const fetchSession = (api: ApiClient, signal?: AbortSignal) =>
  api.get<SessionResponse>('/api/me', { signal, expectUnauthenticated: true });

/** POST /api/auth/login. */
export const login = (api: ApiClient, username: string, password: string) =>
  api.post<SessionResponse>('/api/auth/login', { username, password }, { expectUnauthenticated: true });

/** POST /api/auth/logout (needs the CSRF token, which the client adds). */
export const logout = (api: ApiClient) =>
  api.post<void>('/api/auth/logout', undefined, { expectUnauthenticated: true });
