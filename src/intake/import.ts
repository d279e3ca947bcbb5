/**
 * Batch import of reports (12345 hotline exports and the like), the rules: the file formats, their columns,
 * and how a row becomes a report's input. Pure: text in, rows and problems out. No I/O.
 *
 * CSV (UTF-8, header line, RFC 4180 quoting; see registry/csv.ts) and JSON Lines (one object per line, the
 * same names as keys) share these columns:
 *
 * | column        | required | meaning                                                                     |
 * |---------------|----------|-----------------------------------------------------------------------------|
 * | ticketId      | yes      | the source's own ticket id; a ticket already imported on the channel is skipped |
 * | receivedAt    | no       | when the source received it: ISO-8601 with zone, or `YYYY-MM-DD HH:mm[:ss]` read as Shanghai time; stored as the report's observedAt |
 * | category      | no       | a category key (`event:06001`) or its exact Chinese or English name; empty → triage |
 * | description   | yes      | up to 4,000 characters                                                      |
 * | lng, lat      | yes*     | the point; a row without one is refused (no geocoding of addresses yet)     |
 * | crs           | no       | wgs84, gcj02 or bd09; gcj02 when empty                                      |
 * | address       | no       | as the source wrote it                                                      |
 * | reporterName  | no       | stored; shown to staff                                                      |
 * | reporterPhone | no       | stored; masked in every listing                                             |
 */
import { readCsvTable } from '../registry/csv.js';
import { REPORT_CRS, TICKET_ID_MAX, type FieldProblem, type ReportCrs } from './reports.js';

export const IMPORT_COLUMNS = [
  'ticketId',
  'receivedAt',
  'category',
  'description',
  'lng',
  'lat',
  'crs',
  'address',
  'reporterName',
  'reporterPhone',
] as const;
export type ImportColumn = (typeof IMPORT_COLUMNS)[number];
export const IMPORT_REQUIRED: readonly ImportColumn[] = ['ticketId', 'description'];

export const IMPORT_FORMATS = ['csv', 'jsonl'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/** The format of a file by its name: .csv, or .jsonl / .ndjson; undefined for anything else. */
export function formatOfFileName(name: string): ImportFormat | undefined {
  const lower = name.toLowerCase();
  if (lower.endsWith('.csv')) return 'csv';
  if (lower.endsWith('.jsonl') || lower.endsWith('.ndjson')) return 'jsonl';
  return undefined;
}

/** A problem of one line of the file. */
export interface LineProblem extends FieldProblem {
  line: number;
}

/** One good row of the file, as text cells. */
export interface ImportRow {
  line: number;
  cells: Partial<Record<ImportColumn, string>>;
}

export interface ParsedImport {
  rows: ImportRow[];
  /** Problems of the file as a whole (line 1 for a bad header) and of single lines. */
  problems: LineProblem[];
  /** True when the header (CSV) is unusable: nothing can be imported. */
  fatal: boolean;
}

const isColumn = (k: string): k is ImportColumn => (IMPORT_COLUMNS as readonly string[]).includes(k);

function parseCsvImport(text: string): ParsedImport {
  const t = readCsvTable(text, IMPORT_COLUMNS, IMPORT_REQUIRED);
  const problems: LineProblem[] = t.problems.map((p) => ({
    line: p.line,
    field: p.field,
    key:
      p.reason === 'unknownColumn'
        ? 'csvUnknownColumn'
        : p.reason === 'duplicateColumn'
          ? 'csvDuplicateColumn'
          : p.reason === 'missingColumn'
            ? 'csvMissingColumn'
            : p.reason === 'empty'
              ? 'csvEmpty'
              : 'csvFieldCount',
    reason: p.reason,
    ...(p.value === undefined ? {} : { value: p.value }),
  }));
  const fatal = t.problems.some((p) => p.reason !== 'fieldCount');
  return { rows: t.rows.map((r) => ({ line: r.line, cells: r.cells })), problems, fatal };
}

function parseJsonLines(text: string): ParsedImport {
  const rows: ImportRow[] = [];
  const problems: LineProblem[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  lines.forEach((raw, i) => {
    const line = i + 1;
    if (raw.trim() === '') return;
    let v: unknown;
    try {
      v = JSON.parse(raw);
    } catch {
      problems.push({ line, field: '*', key: 'jsonlMalformed', reason: 'invalidJson' });
      return;
    }
    if (typeof v !== 'object' || v === null || Array.isArray(v)) {
      problems.push({ line, field: '*', key: 'jsonlMalformed', reason: 'notObject' });
      return;
    }
    const cells: ImportRow['cells'] = {};
    let bad = false;
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
      if (!isColumn(k)) {
        problems.push({ line, field: k, key: 'csvUnknownColumn', reason: 'unknownColumn', value: k });
        bad = true;
      } else if (x === null || x === undefined) continue;
      else if (typeof x === 'string' || typeof x === 'number') cells[k] = String(x);
      else {
        problems.push({ line, field: k, key: 'importFieldType', reason: 'type', value: typeof x });
        bad = true;
      }
    }
    if (!bad) rows.push({ line, cells });
  });
  return { rows, problems, fatal: false };
}

/** Reads a file's text in its format into rows and problems. CSV syntax errors throw Invalid naming line and column. */
export function parseImport(text: string, format: ImportFormat): ParsedImport {
  return format === 'csv' ? parseCsvImport(text) : parseJsonLines(text);
}

const SHANGHAI_LOCAL = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}(:\d{2})?)$/;

/**
 * A source's time as an ISO instant: with a zone as given; `YYYY-MM-DD HH:mm[:ss]` without one is read as
 * Shanghai time (UTC+8), which is how the 12345 system exports it.
 */
export function sourceInstant(text: string): string {
  const m = SHANGHAI_LOCAL.exec(text.trim());
  return m ? `${m[1]}T${m[2]}${m[3] ? '' : ':00'}+08:00` : text.trim();
}

/** A row's fields as a report needs them (the category still as written), or its problems. */
export interface RowDraft {
  ticketId: string;
  observedAt: string | null;
  category: string | null;
  description: string;
  location: { lng: number; lat: number; crs: ReportCrs } | null;
  address: string | null;
  reporterName: string | null;
  reporterPhone: string | null;
}

const cell = (r: ImportRow, c: ImportColumn): string | null => {
  const v = r.cells[c]?.trim();
  return v ? v : null;
};

/** Checks the cells that only the file format knows about; everything else is the report's own check. */
export function rowDraft(r: ImportRow): RowDraft | LineProblem[] {
  const problems: LineProblem[] = [];
  const p = (field: string, key: string, reason: string, value?: string) =>
    problems.push({ line: r.line, field, key, reason, ...(value === undefined ? {} : { value }) });
  for (const [k, v] of Object.entries(r.cells))
    if (v?.includes('\u0000')) p(k, 'fieldControlCharacter', 'nul');
  if (problems.length > 0) return problems;
  const ticketId = cell(r, 'ticketId');
  if (ticketId === null) p('ticketId', 'fieldRequired', 'required');
  else if (ticketId.length > TICKET_ID_MAX) p('ticketId', 'fieldTooLong', 'tooLong', String(TICKET_ID_MAX));
  const lngText = cell(r, 'lng');
  const latText = cell(r, 'lat');
  const crsText = cell(r, 'crs')?.toLowerCase() ?? null;
  let location: RowDraft['location'] = null;
  if (lngText === null && latText === null) p('lng', 'locationRequired', 'required');
  else {
    const lng = Number(lngText);
    const lat = Number(latText);
    if (lngText === null || !Number.isFinite(lng)) p('lng', 'coordinateFormat', 'format', lngText ?? '');
    if (latText === null || !Number.isFinite(lat)) p('lat', 'coordinateFormat', 'format', latText ?? '');
    if (crsText !== null && !(REPORT_CRS as readonly string[]).includes(crsText))
      p('crs', 'crsUnknown', 'unknown', crsText);
    if (problems.length === 0) location = { lng, lat, crs: (crsText ?? 'gcj02') as ReportCrs };
  }
  if (problems.length > 0 || ticketId === null) return problems;
  const received = cell(r, 'receivedAt');
  return {
    ticketId,
    observedAt: received === null ? null : sourceInstant(received),
    category: cell(r, 'category'),
    description: r.cells.description ?? '',
    location,
    address: cell(r, 'address'),
    reporterName: cell(r, 'reporterName'),
    reporterPhone: cell(r, 'reporterPhone'),
  };
}

/** The category a cell names: a key as it is, else the one category with that Chinese or English name. */
export function categoryOfCell(
  text: string,
  directory: { keys: ReadonlySet<string>; byName: ReadonlyMap<string, readonly string[]> },
): { key: string } | { problem: 'unknown' | 'ambiguous' } {
  if (directory.keys.has(text)) return { key: text };
  const hits = directory.byName.get(text.toLowerCase()) ?? [];
  if (hits.length === 1) return { key: hits[0] as string };
  return { problem: hits.length === 0 ? 'unknown' : 'ambiguous' };
}
