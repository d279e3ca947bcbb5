/**
 * Batch import of reports from a source with its own ticket ids (the 12345 hotline): every row becomes a
 * report through `submitReport` (so it is validated, routed, merged and audited like any other), in its own
 * transaction. Idempotent on the source's ticket id: a ticket already stored on the channel (unique index
 * channel + source_ticket_id) is skipped and listed, so a file can be imported again after fixing its bad
 * rows, and an interrupted import resumed.
 */
import type { Deps } from '../deps.js';
import type { ActionContext } from '../access/audit.service.js';
import { can, systemActor } from '../access/roles.js';
import { forbidden, invalid, isDomainError } from '../platform/errors.js';
import { listCategories } from '../registry/categories.service.js';
import type { RoutingEngine } from '../routing/routing.service.js';
import { categoryOfCell, parseImport, rowDraft, type ImportFormat, type LineProblem } from './import.js';
import { DEFAULT_INTAKE_SETTINGS, isChannel, type Channel, type IntakeSettings } from './reports.js';
import { existingTickets } from './reports.store.js';
import { submitReport } from './reports.service.js';

/** The channels whose reports arrive in batches from another system with its own ticket ids. */
export const IMPORT_CHANNELS: readonly Channel[] = ['hotline12345', 'open311'];

export interface ImportInput {
  channel: string;
  format: ImportFormat;
  text: string;
}

export interface ImportResult {
  channel: Channel;
  /** Data rows in the file (blank lines not counted). */
  rows: number;
  imported: number;
  /** Tickets already stored on the channel: not imported again. */
  skipped: Array<{ line: number; ticketId: string }>;
  /** Rows refused, by line; the other rows are imported. */
  problems: LineProblem[];
  /** The header was unusable: nothing was imported. */
  rejected: boolean;
  created: Array<{ line: number; ticketId: string; id: string; trackingCode: string; caseId: string }>;
}

export type ImportProgress = (done: number, total: number) => void;

const registryReader = systemActor('intake');

async function categoryDirectory(deps: Pick<Deps, 'database'>) {
  const all = await listCategories(deps, registryReader, { limit: 5000 });
  const keys = new Set<string>();
  const byName = new Map<string, string[]>();
  const add = (name: string, key: string) => {
    const k = name.trim().toLowerCase();
    const list = byName.get(k) ?? [];
    if (!list.includes(key)) list.push(key);
    byName.set(k, list);
  };
  for (const c of all) {
    keys.add(c.key);
    add(c.name, c.key);
    add(c.nameEn, c.key);
  }
  return { keys, byName };
}

/** Imports a CSV or JSON Lines file of reports on a channel (reports:import); see import.ts for the columns. */
export async function importReports(
  deps: Deps,
  engine: RoutingEngine,
  ctx: ActionContext,
  input: ImportInput,
  onProgress: ImportProgress = () => undefined,
  settings: IntakeSettings = DEFAULT_INTAKE_SETTINGS,
): Promise<ImportResult> {
  if (!can(ctx.actor, 'reports:import')) throw forbidden();
  if (!isChannel(input.channel) || !IMPORT_CHANNELS.includes(input.channel))
    throw invalid('importChannel', {
      field: 'channel',
      reason: 'unknown',
      value: input.channel,
      expected: IMPORT_CHANNELS.join(', '),
    });
  const channel = input.channel;
  const parsed = parseImport(input.text, input.format);
  const result: ImportResult = {
    channel,
    rows: parsed.rows.length,
    imported: 0,
    skipped: [],
    problems: [...parsed.problems],
    rejected: false,
    created: [],
  };
  if (parsed.fatal) return { ...result, rejected: true };

  const directory = await categoryDirectory(deps);
  const drafts = parsed.rows.flatMap((r) => {
    const d = rowDraft(r);
    if (Array.isArray(d)) {
      result.problems.push(...d);
      return [];
    }
    return [{ line: r.line, d }];
  });
  const existing = await existingTickets(
    deps.database.db,
    channel,
    drafts.map((x) => x.d.ticketId),
  );
  const firstLineOf = new Map<string, number>();
  const todo = drafts.filter(({ line, d }) => {
    if (existing.has(d.ticketId)) {
      result.skipped.push({ line, ticketId: d.ticketId });
      return false;
    }
    const first = firstLineOf.get(d.ticketId);
    if (first !== undefined) {
      result.problems.push({
        line,
        field: 'ticketId',
        key: 'duplicateInFile',
        reason: 'duplicate',
        value: String(first),
      });
      return false;
    }
    firstLineOf.set(d.ticketId, line);
    return true;
  });

  let done = 0;
  onProgress(0, todo.length);
  for (const { line, d } of todo) {
    let categoryKey: string | null = null;
    if (d.category !== null) {
      const c = categoryOfCell(d.category, directory);
      if ('problem' in c) {
        result.problems.push({
          line,
          field: 'category',
          key: c.problem === 'unknown' ? 'unknownCategory' : 'categoryAmbiguous',
          reason: c.problem,
          value: d.category,
        });
        onProgress(++done, todo.length);
        continue;
      }
      categoryKey = c.key;
    }
    try {
      const r = await submitReport(
        deps,
        engine,
        ctx,
        {
          channel,
          categoryKey,
          description: d.description,
          location: d.location,
          address: d.address,
          observedAt: d.observedAt,
          reporter: { name: d.reporterName, phone: d.reporterPhone },
          sourceTicketId: d.ticketId,
          extra: { sourceReceivedAt: d.observedAt },
        },
        settings,
      );
      result.imported += 1;
      result.created.push({
        line,
        ticketId: d.ticketId,
        id: r.id,
        trackingCode: r.trackingCode,
        caseId: r.caseId,
      });
    } catch (e) {
      if (!isDomainError(e) || e.code === 'Unavailable') throw e;
      if (e.messageKey === 'reportTicketExists') {
        // Imported by someone else between our check and our write.
        result.skipped.push({ line, ticketId: d.ticketId });
      } else {
        const field = typeof e.details.field === 'string' ? importField(e.details.field) : '*';
        const value = e.details.value;
        result.problems.push({
          line,
          field,
          key: e.messageKey,
          reason: typeof e.details.reason === 'string' ? e.details.reason : e.code,
          ...(value === undefined ? {} : { value: String(value) }),
        });
      }
    }
    onProgress(++done, todo.length);
  }
  result.problems.sort((a, b) => a.line - b.line);
  result.skipped.sort((a, b) => a.line - b.line);
  return result;
}

/** The column of the file a report field comes from, so a problem names what the file calls it. */
function importField(field: string): string {
  const map: Record<string, string> = {
    categoryKey: 'category',
    observedAt: 'receivedAt',
    'reporter.name': 'reporterName',
    'reporter.phone': 'reporterPhone',
    'location.lng': 'lng',
    'location.lat': 'lat',
    'location.crs': 'crs',
    location: 'lng',
    sourceTicketId: 'ticketId',
  };
  return map[field] ?? field;
}
