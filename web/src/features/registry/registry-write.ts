// Writes to the registry from the console: create, edit (with the version read), deactivate / reactivate,
// users' accounts, and the CSV import and export of each list (src/registry/parties.routes.ts,
// src/access/access.routes.ts).
import { ApiError, isApiError, parseErrorBody, type ApiClient } from '../../api/client';
import type { PartyPaths } from './registry-api';

export type PartyKind = keyof PartyPaths;
export const PARTY_KINDS: readonly PartyKind[] = [
  'compounds',
  'property-companies',
  'departments',
  'merchants',
];

/** Paths of the single records that can be written: the four lists and the liaisons. */
export type WritablePath = PartyKind | 'liaisons';

export const createParty = <T>(api: ApiClient, path: string, body: Record<string, unknown>) =>
  api.post<T>(path, body);

export const updateRecord = <T>(
  api: ApiClient,
  kind: WritablePath,
  id: string,
  body: Record<string, unknown>,
  version: number,
) => api.patch<T>(`/api/registry/${kind}/${encodeURIComponent(id)}`, { ...body, version });

export const setRecordActive = <T>(
  api: ApiClient,
  kind: WritablePath,
  id: string,
  active: boolean,
  version: number,
) => api.post<T>(`/api/registry/${kind}/${encodeURIComponent(id)}/active`, { active, version });

// ---------------------------------------------------------------------------------------------------------
// Org units (src/registry/registry.routes.ts)
// ---------------------------------------------------------------------------------------------------------

/** Which kinds a new unit may have under a parent of the given kind (the console's own org tree). */
export const CHILD_KINDS: Readonly<Record<string, readonly string[]>> = {
  bureau: ['subdistrict'],
  subdistrict: ['squad', 'sector', 'workstation', 'community'],
  sector: ['workstation', 'community'],
  workstation: ['community'],
};

/** Units of these kinds are written through their property company's or department's record. */
export const UNIT_KINDS_EDITED_VIA_PARTY: readonly string[] = ['propertyCompany', 'department'];

export const updateOrgUnit = <T>(api: ApiClient, id: string, body: Record<string, unknown>, version: number) =>
  api.patch<T>(`/api/org-units/${encodeURIComponent(id)}`, { ...body, version });

export const setOrgUnitActive = <T>(api: ApiClient, id: string, active: boolean, version: number) =>
  api.post<T>(`/api/org-units/${encodeURIComponent(id)}/active`, { active, version });

// ---------------------------------------------------------------------------------------------------------
// Users
// ---------------------------------------------------------------------------------------------------------

export interface NewUser {
  username: string;
  displayName: string;
  role: string;
  unitId: string;
  password: string;
  phone?: string | null;
}

export const createUser = (api: ApiClient, body: NewUser) => api.post<unknown>('/api/users', body);
export const setUserActive = (api: ApiClient, id: string, active: boolean) =>
  api.post<void>(`/api/users/${encodeURIComponent(id)}/active`, { active });
export const resetUserPassword = (api: ApiClient, id: string, password: string) =>
  api.post<void>(`/api/users/${encodeURIComponent(id)}/password`, { password });

// ---------------------------------------------------------------------------------------------------------
// Server errors → form fields
// ---------------------------------------------------------------------------------------------------------

export interface FieldError {
  field: string;
  message: string;
}

/**
 * The form fields a failed write names: `details.field`, or each of `details.issues[].field` (the schema
 * check's `body.location.lng` is reduced to the last part a form knows). Empty when it names none.
 */
export function fieldErrorsOf(error: unknown, known: readonly string[]): FieldError[] {
  if (!isApiError(error)) return [];
  const place = (raw: unknown): string | null => {
    if (typeof raw !== 'string' || raw === '') return null;
    const path = raw.replace(/^body\./, '');
    if (known.includes(path)) return path;
    const parts = path.split('.');
    for (let i = parts.length - 1; i >= 0; i--) if (known.includes(parts[i] ?? '')) return parts[i] ?? null;
    return null;
  };
  const out: FieldError[] = [];
  const d = error.details;
  const own = place(d.field);
  if (own && own !== 'version') out.push({ field: own, message: error.message });
  if (Array.isArray(d.issues)) {
    for (const issue of d.issues as Array<{ field?: unknown; message?: unknown }>) {
      const f = place(issue.field);
      if (f)
        out.push({ field: f, message: typeof issue.message === 'string' ? issue.message : error.message });
    }
  }
  return out;
}

/** A 409 for a stale version, and the record as it is now when the server sent it. */
export function staleRecord<T>(error: unknown): { stale: true; current: T | null } | null {
  if (!isApiError(error) || error.status !== 409 || error.details.field !== 'version') return null;
  const current = error.details.current;
  return { stale: true, current: typeof current === 'object' && current !== null ? (current as T) : null };
}

// ---------------------------------------------------------------------------------------------------------
// CSV
// ---------------------------------------------------------------------------------------------------------

export interface ImportProblem {
  line: number;
  field: string;
  key: string;
  reason: string;
  value?: string;
  message: string;
}

export interface ImportReport {
  kind: string;
  rows: number;
  imported: number;
  rejected: boolean;
  problems: ImportProblem[];
  skippedLines: number[];
}

export const exportUrl = (kind: PartyKind) => `/api/registry/${kind}/export.csv`;

/**
 * POSTs a CSV file as text/csv (the ApiClient sends JSON only), with the session's CSRF token and language.
 * A refused file throws the ApiError whose details carry `problems`.
 */
export async function importCsv(
  api: ApiClient,
  kind: PartyKind,
  csv: string,
  skipBadRows: boolean,
  language: string,
): Promise<ImportReport> {
  const { csrfToken } = await api.get<{ csrfToken: string }>('/api/me');
  let response: Response;
  try {
    response = await fetch(`/api/registry/${kind}/import${skipBadRows ? '?skipBadRows=true' : ''}`, {
      method: 'POST',
      credentials: 'same-origin',
      headers: {
        Accept: 'application/json',
        'Accept-Language': language,
        'Content-Type': 'text/csv; charset=utf-8',
        'x-csrf-token': csrfToken,
      },
      body: csv,
    });
  } catch (e) {
    throw new ApiError({ status: 0, code: 'NetworkError', message: String(e), fromServer: false });
  }
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  if (!response.ok) {
    const body = parseErrorBody(parsed);
    throw body
      ? new ApiError({ status: response.status, ...body, fromServer: body.message !== '' })
      : new ApiError({
          status: response.status,
          code: 'BadResponse',
          message: `HTTP ${response.status}`,
          fromServer: false,
        });
  }
  return parsed as ImportReport;
}

/** The per-row problems of a refused import, or null when the error is not one. */
export function importProblemsOf(error: unknown): ImportProblem[] | null {
  if (!isApiError(error) || !Array.isArray(error.details.problems)) return null;
  return error.details.problems as ImportProblem[];
}
