/**
 * CSV as RFC 4180 writes it, read robustly: quoted fields with "" escapes and embedded line breaks, CRLF,
 * LF or CR line ends, a UTF-8 byte-order mark (Excel writes one; it needs one to open UTF-8 Chinese text
 * correctly). Pure: text in, records out.
 */
import { invalid } from '../platform/errors.js';

/** One record and the physical line (1-based) it starts on, for messages that point into the file. */
export interface CsvRecord {
  line: number;
  fields: string[];
}

export type CsvSyntaxProblem = 'unterminatedQuote' | 'quoteInUnquotedField' | 'textAfterClosingQuote';

/** Decodes a file as UTF-8; a file in another encoding (GBK from an old Excel) is refused, not garbled. */
export function decodeCsv(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw invalid('csvNotUtf8', { field: 'body', reason: 'notUtf8' });
  }
}

const syntaxError = (reason: CsvSyntaxProblem, line: number, column: number) =>
  invalid('csvMalformed', { field: 'body', reason, line, column });

/**
 * Parses CSV text into records. Throws an `Invalid` error naming line and column on a quote that is never
 * closed, a quote inside an unquoted field, or text after a closing quote. A final line end adds no record.
 */
export function parseCsv(text: string): CsvRecord[] {
  const s = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let line = 1;
  let recordLine = 1;
  let lineStart = 0;
  let i = 0;
  const n = s.length;
  const column = (at: number) => at - lineStart + 1;
  const newline = (at: number): number => {
    // Returns the index after a line end at `at` (CRLF, LF or CR), or -1 when there is none.
    const c = s.charCodeAt(at);
    if (c === 13) return s.charCodeAt(at + 1) === 10 ? at + 2 : at + 1;
    return c === 10 ? at + 1 : -1;
  };
  if (n === 0) return records;
  for (;;) {
    // At the start of a field.
    let value: string;
    if (s.charCodeAt(i) === 34) {
      const openLine = line;
      const openColumn = column(i);
      i += 1;
      let buf = '';
      for (;;) {
        if (i >= n) throw syntaxError('unterminatedQuote', openLine, openColumn);
        const c = s.charCodeAt(i);
        if (c === 34) {
          if (s.charCodeAt(i + 1) === 34) {
            buf += '"';
            i += 2;
            continue;
          }
          i += 1;
          break;
        }
        const after = newline(i);
        if (after !== -1) {
          buf += s.slice(i, after);
          line += 1;
          lineStart = after;
          i = after;
          continue;
        }
        buf += s.charAt(i);
        i += 1;
      }
      if (i < n && s.charCodeAt(i) !== 44 && newline(i) === -1)
        throw syntaxError('textAfterClosingQuote', line, column(i));
      value = buf;
    } else {
      const start = i;
      while (i < n) {
        const c = s.charCodeAt(i);
        if (c === 44 || c === 10 || c === 13) break;
        if (c === 34) throw syntaxError('quoteInUnquotedField', line, column(i));
        i += 1;
      }
      value = s.slice(start, i);
    }
    fields.push(value);
    if (i >= n) {
      records.push({ line: recordLine, fields });
      return records;
    }
    if (s.charCodeAt(i) === 44) {
      i += 1;
      if (i >= n) {
        fields.push('');
        records.push({ line: recordLine, fields });
        return records;
      }
      continue;
    }
    // A line end closes the record.
    records.push({ line: recordLine, fields });
    i = newline(i);
    line += 1;
    lineStart = i;
    recordLine = line;
    fields = [];
    if (i >= n) return records;
  }
}

const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/;

/** One field as CSV: quoted (with "" for ") when it holds a comma, quote, line break or edge blanks. */
export const csvField = (v: string): string => (NEEDS_QUOTES.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

/** Writes records as CSV with CRLF line ends (RFC 4180) and, by default, a UTF-8 BOM for Excel. */
export function writeCsv(records: readonly (readonly string[])[], opts: { bom?: boolean } = {}): string {
  const body = records.map((r) => `${r.map(csvField).join(',')}\r\n`).join('');
  return ((opts.bom ?? true) ? '\uFEFF' : '') + body;
}

const FORMULA_START = /^[=+\-@\t\r]/;

// A text that is guarded, or that looks like a guarded one ('=…, ''=…), gets one more apostrophe, so that
// taking one off on import always gives the original back.
const needsGuard = (v: string): boolean =>
  FORMULA_START.test(v) || (v.startsWith("'") && needsGuard(v.slice(1)));

/**
 * A text cell that a spreadsheet would run as a formula (=, +, -, @ …) gets a leading apostrophe, which
 * spreadsheets show as text (CSV injection, OWASP); `unguardFormula` takes it off again on import.
 */
export const guardFormula = (v: string): string => (needsGuard(v) ? `'${v}` : v);
/** The inverse of `guardFormula`: unguardFormula(guardFormula(s)) === s for every s. */
export const unguardFormula = (v: string): string =>
  v.startsWith("'") && needsGuard(v.slice(1)) ? v.slice(1) : v;

/** A problem of a table: the line, and the column by header name ('*' for the whole row). */
export interface CsvTableProblem {
  line: number;
  field: string;
  reason: 'unknownColumn' | 'duplicateColumn' | 'missingColumn' | 'fieldCount' | 'empty';
  value?: string;
}

export interface CsvTable {
  rows: Array<{ line: number; cells: Record<string, string> }>;
  /** Problems of the header (line 1) and of rows with the wrong number of fields. */
  problems: CsvTableProblem[];
}

/**
 * Reads a CSV with a header line against the known columns: header names are matched exactly (after
 * trimming); unknown, repeated and missing required columns are problems of line 1; a row with another
 * number of fields than the header is a problem of that row; blank rows are skipped.
 */
export function readCsvTable(
  text: string,
  columns: readonly string[],
  required: readonly string[],
): CsvTable {
  const records = parseCsv(text);
  const [header, ...body] = records;
  if (!header) return { rows: [], problems: [{ line: 1, field: '*', reason: 'empty' }] };
  const names = header.fields.map((f) => f.trim());
  const problems: CsvTableProblem[] = [];
  const seen = new Set<string>();
  for (const name of names) {
    if (!columns.includes(name))
      problems.push({ line: header.line, field: name, reason: 'unknownColumn', value: name });
    else if (seen.has(name))
      problems.push({ line: header.line, field: name, reason: 'duplicateColumn', value: name });
    seen.add(name);
  }
  for (const c of required)
    if (!seen.has(c)) problems.push({ line: header.line, field: c, reason: 'missingColumn' });
  const rows: CsvTable['rows'] = [];
  for (const r of body) {
    if (r.fields.every((f) => f.trim() === '')) continue;
    if (r.fields.length !== names.length) {
      problems.push({
        line: r.line,
        field: '*',
        reason: 'fieldCount',
        value: `${r.fields.length}/${names.length}`,
      });
      continue;
    }
    const cells: Record<string, string> = {};
    names.forEach((name, k) => {
      if (columns.includes(name)) cells[name] = unguardFormula(r.fields[k] ?? '');
    });
    rows.push({ line: r.line, cells });
  }
  return { rows, problems };
}
