// `onegrid deadline`: compute a legal deadline on the Shanghai working-day calendar from the command line.
// Exit codes: 0 printed, 2 bad input (the problem is named on stderr), 3 the calendar does not know a year
// the deadline needs (refused rather than guessed; add the year to the override table).
// With --db the calendar is the database's: chinese-days patched by the bureau's override table.
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { readCalendarOverrides } from '../../cases/case-rules.service.js';
import { withDeps } from '../context.js';
import { type DomainError, isDomainError } from '../../platform/errors.js';
import { type CalendarOverrides, createWorkCalendar } from '../../platform/calendar/calendar.js';
import {
  DURATION_UNITS,
  type Suspension,
  computeDeadline,
  isDurationUnit,
} from '../../platform/calendar/deadline.js';
import { parseInstant } from '../../platform/calendar/shanghai-time.js';

export const EXIT_INVALID = 2;
export const EXIT_DEADLINE_UNKNOWN = 3;

export type DeadlineCommandOptions = {
  from?: string;
  add?: string;
  unit?: string;
  suspend?: string[];
  overrides?: string;
  db?: boolean;
  basis?: string;
  json?: boolean;
};

export type CommandIo = {
  out: (text: string) => void;
  err: (text: string) => void;
  readFile: (path: string) => string;
};

const DEFAULT_BASIS = 'onegrid deadline (computed by hand; no legal basis given)';

/** Thrown inside this module for bad command-line input; becomes exit code 2. */
class UsageError extends Error {}

const describeValue = (v: unknown): string => (typeof v === 'string' ? `'${v}'` : JSON.stringify(v));

// English wording for the refusals this command can meet; any other key is printed as it is.
const PROBLEMS: Record<string, string> = {
  timezoneRequired: 'a time zone is required (Z or ±hh:mm)',
  instantMalformed: 'not an ISO 8601 instant',
  dateMalformed: 'not a real date YYYY-MM-DD',
  overrideYearInvalid: 'not a four-digit year',
  overrideDateConflict: 'a date is both a holiday and a workday',
  suspensionInvalid: 'a suspension must end after it starts',
};

function describeDomainError(e: DomainError): string {
  const { field, value, expected, problem } = e.details;
  const what = PROBLEMS[e.messageKey] ?? e.messageKey;
  const parts = [typeof field === 'string' ? `${field}: ${what}` : what];
  if (value !== undefined) parts.push(`got ${describeValue(value)}`);
  if (typeof problem === 'string') parts.push(problem);
  if (typeof expected === 'string' && PROBLEMS[e.messageKey] === undefined)
    parts.push(`expected ${expected}`);
  return parts.join(', ');
}

function readOverrides(path: string, io: CommandIo): CalendarOverrides {
  let raw: unknown;
  try {
    raw = JSON.parse(io.readFile(path));
  } catch (e) {
    throw new UsageError(`--overrides: cannot read ${path} as JSON (${(e as Error).message})`);
  }
  const table = raw as Partial<Record<keyof CalendarOverrides, unknown>>;
  const isList = (v: unknown, item: 'number' | 'string'): boolean =>
    Array.isArray(v) && v.every((x) => typeof x === item);
  if (
    typeof raw !== 'object' ||
    raw === null ||
    !isList(table.years, 'number') ||
    !isList(table.holidays, 'string') ||
    !isList(table.workdays, 'string')
  ) {
    throw new UsageError(
      `--overrides: ${path} must hold { "years": number[], "holidays": "YYYY-MM-DD"[], "workdays": "YYYY-MM-DD"[] }`,
    );
  }
  return raw as CalendarOverrides;
}

function parseSuspension(text: string): Suspension {
  const [from, to, ...rest] = text.split('/');
  if (from === undefined || to === undefined || rest.length > 0) {
    throw new UsageError(`--suspend: expected FROM/TO (two ISO instants separated by '/'), got '${text}'`);
  }
  return { from: parseInstant(from, '--suspend'), to: parseInstant(to, '--suspend') };
}

/**
 * Runs the command with the given options and I/O; returns the exit code. `stored` is the database's
 * override table, read by the caller for --db.
 */
export function runDeadline(opts: DeadlineCommandOptions, io: CommandIo, stored?: CalendarOverrides): number {
  try {
    if (opts.db === true && opts.overrides !== undefined)
      throw new UsageError('--db and --overrides: give one override table, not both');
    if (opts.from === undefined) throw new UsageError('--from is required (an ISO instant with Z or ±hh:mm)');
    if (opts.add === undefined) throw new UsageError('--add is required (a whole number ≥ 1)');
    if (opts.unit === undefined) throw new UsageError(`--unit is required (${DURATION_UNITS.join('|')})`);
    const from = parseInstant(opts.from, '--from');
    if (!/^\d+$/.test(opts.add.trim()) || Number(opts.add) < 1 || !Number.isSafeInteger(Number(opts.add))) {
      throw new UsageError(`--add: expected a whole number ≥ 1, got '${opts.add}'`);
    }
    const unit = opts.unit.trim();
    if (!isDurationUnit(unit)) {
      throw new UsageError(`--unit: expected one of ${DURATION_UNITS.join('|')}, got '${opts.unit}'`);
    }
    const suspensions = (opts.suspend ?? []).map(parseSuspension);
    const overrides = opts.overrides === undefined ? stored : readOverrides(opts.overrides, io);
    const calendar = createWorkCalendar(overrides === undefined ? {} : { overrides });
    const deadline = computeDeadline(calendar, {
      from,
      rule: { n: Number(opts.add), unit },
      basis: opts.basis ?? DEFAULT_BASIS,
      suspensions,
    });
    io.out(opts.json === true ? `${JSON.stringify(deadline, null, 2)}\n` : `${deadline.due}\n`);
    return 0;
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`onegrid deadline: ${e.message}\n`);
      return EXIT_INVALID;
    }
    if (isDomainError(e) && e.code === 'DeadlineUnknown') {
      const year = String(e.details['year']);
      io.err(
        `onegrid deadline: the working-day calendar does not know the holidays of ${year}; ` +
          `refusing to guess. Add ${year} to the calendar override table (PUT /api/calendar/days/…, then ` +
          `PUT /api/calendar/years/${year}; use it with --db), or pass --overrides <file>.\n`,
      );
      return EXIT_DEADLINE_UNKNOWN;
    }
    if (isDomainError(e) && e.code === 'Invalid') {
      io.err(`onegrid deadline: ${describeDomainError(e)}\n`);
      return EXIT_INVALID;
    }
    throw e;
  }
}

const HELP_AFTER = `
Units:
  day       natural days; the start day is not counted (民法典 第201条); a last day that is not a
            working day moves to the next working day (民法典 第203条)
  workday   working days on the Chinese holiday calendar, make-up workdays included (行政处罚法 第85条)
  hour      natural hours from the instant itself
  workhour  office hours (09:00–12:00, 13:30–17:30) on working days
Day-based deadlines end at 23:59:59.999+08:00 of their last day. All times are Asia/Shanghai.

With --db the calendar is the one the server uses: chinese-days patched by the database's override
table (the normal configuration: DATABASE_URL, or the SQLite file under ONEGRID_DATA_DIR).

Exit codes: 0 printed; 2 bad input (named on stderr); 3 the calendar does not know a year the
deadline needs (add it to the override table).

Examples:
  onegrid deadline --from 2026-03-02T10:00:00+08:00 --add 5 --unit workday
  onegrid deadline --from 2026-03-02T02:00:00Z --add 90 --unit day --suspend 2026-03-10T00:00+08:00/2026-04-09T00:00+08:00
  onegrid deadline --db --from 2026-12-30T10:00:00+08:00 --add 3 --unit workday
`;

/** Adds `onegrid deadline` to the program. */
export function register(program: Command): void {
  program
    .command('deadline')
    .description(
      'compute a deadline on the Shanghai working-day calendar and print the due instant (ISO 8601, +08:00)',
    )
    .option('--from <instant>', 'start instant, ISO 8601 with Z or ±hh:mm (e.g. 2026-03-02T10:00:00+08:00)')
    .option('--add <n>', 'length of the period, a whole number ≥ 1')
    .option('--unit <unit>', `unit of the period: ${DURATION_UNITS.join('|')}`)
    .option(
      '--suspend <from/to>',
      'a suspension (hearing, public notice, appraisal) during which the clock stops; repeatable',
      (value: string, previous: string[] | undefined) => [...(previous ?? []), value],
    )
    .option('--overrides <file>', 'JSON calendar override table { years, holidays, workdays }')
    .option('--db', 'use the database’s calendar override table (the normal configuration)')
    .option('--basis <text>', 'legal basis to record with the deadline (shown with --json)')
    .option('--json', 'print the whole deadline (due, from, rule, basis, suspensions) as JSON')
    .addHelpText('after', HELP_AFTER)
    .action(async (opts: DeadlineCommandOptions, command: Command) => {
      const output = command.configureOutput();
      // Only a valid combination opens the database; runDeadline names the conflict otherwise.
      const stored =
        opts.db === true && opts.overrides === undefined
          ? await withDeps((deps) => readCalendarOverrides(deps))
          : undefined;
      const code = runDeadline(
        opts,
        {
          out: (text) => (output.writeOut ? output.writeOut(text) : process.stdout.write(text)),
          err: (text) => (output.writeErr ? output.writeErr(text) : process.stderr.write(text)),
          readFile: (path) => readFileSync(path, 'utf8'),
        },
        stored,
      );
      if (code !== 0) process.exitCode = code;
    });
}
