import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import { Command } from 'commander';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { register } from './deadline.js';
import { openDeps } from '../../app.js';
import { systemActor } from '../../access/roles.js';
import { loadConfig } from '../../platform/config/config.js';
import { DIALECTS, dropSchema } from '../../platform/testing/db.js';
import { testDatabaseUrl } from '../../platform/testing/environment.js';
import { createCaseRulesSource } from '../../cases/rules-source.js';
import { declareCalendarYear, putCalendarDay } from '../../cases/case-rules.service.js';

type Run = { out: string; err: string; exitCode: number };

/** Runs `onegrid deadline …` in-process on a fresh program, capturing stdout, stderr and the exit code. */
async function run(...args: string[]): Promise<Run> {
  let out = '';
  let err = '';
  const program = new Command('onegrid');
  program.exitOverride();
  program.configureOutput({ writeOut: (s) => (out += s), writeErr: (s) => (err += s) });
  register(program);
  process.exitCode = undefined;
  try {
    await program.parseAsync(['deadline', ...args], { from: 'user' });
  } catch (e) {
    // exitOverride turns --help and commander's own errors into exceptions carrying the exit code.
    const code = (e as { exitCode?: number }).exitCode;
    if (code === undefined) throw e;
    process.exitCode = code;
  }
  const exitCode = Number(process.exitCode ?? 0);
  process.exitCode = undefined;
  return { out, err, exitCode };
}

afterEach(() => {
  process.exitCode = undefined;
});

describe('onegrid deadline (in-process)', () => {
  it('prints the due instant of a working-day period in ISO 8601 with +08:00', async () => {
    const r = await run('--from', '2026-09-30T16:00:00+08:00', '--add', '3', '--unit', 'workday');
    expect(r).toEqual({ out: '2026-10-10T23:59:59.999+08:00\n', err: '', exitCode: 0 });
  });

  it('handles each unit', async () => {
    const from = ['--from', '2026-03-06T16:30:00+08:00', '--add', '5'];
    expect((await run(...from, '--unit', 'day')).out).toBe('2026-03-11T23:59:59.999+08:00\n');
    expect((await run(...from, '--unit', 'hour')).out).toBe('2026-03-06T21:30:00.000+08:00\n');
    expect((await run(...from, '--unit', 'workhour')).out).toBe('2026-03-09T14:30:00.000+08:00\n');
  });

  it('applies repeated --suspend intervals and prints the whole deadline with --json', async () => {
    const r = await run(
      '--from',
      '2026-03-02T10:00:00+08:00',
      '--add',
      '5',
      '--unit',
      'workday',
      '--json',
      '--basis',
      '上海市城市管理行政执法条例 第26条',
      '--suspend',
      '2026-03-03T14:00+08:00/2026-03-03T16:00+08:00',
      '--suspend',
      '2026-03-05T10:00+08:00/2026-03-06T10:00+08:00',
    );
    expect(r.exitCode).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({
      due: '2026-03-12T23:59:59.999+08:00',
      rule: { n: 5, unit: 'workday' },
      basis: '上海市城市管理行政执法条例 第26条',
    });
    expect((JSON.parse(r.out) as { suspensions: unknown[] }).suspensions).toHaveLength(2);
  });

  it('exits 3 with a message on stderr when the calendar does not know the year', async () => {
    const r = await run('--from', '2031-03-03T09:00:00+08:00', '--add', '5', '--unit', 'workday');
    expect(r.exitCode).toBe(3);
    expect(r.out).toBe('');
    expect(r.err).toContain('2031');
  });

  it('uses an override table file that adds the year', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'onegrid-deadline-'));
    const file = join(dir, 'overrides.json');
    writeFileSync(file, JSON.stringify({ years: [2027], holidays: ['2027-01-01'], workdays: [] }));
    const r = await run(
      '--from',
      '2026-12-31T09:00:00+08:00',
      '--add',
      '1',
      '--unit',
      'workday',
      '--overrides',
      file,
    );
    expect(r).toEqual({ out: '2027-01-04T23:59:59.999+08:00\n', err: '', exitCode: 0 });
  });

  it.each([
    [['--from', '2026-03-02T10:00:00', '--add', '5', '--unit', 'workday'], '--from'],
    [['--from', '2026-03-02', '--add', '5', '--unit', 'workday'], '--from'],
    [['--from', '2026-03-02T10:00:00Z', '--add', '2.5', '--unit', 'workday'], '--add'],
    [['--from', '2026-03-02T10:00:00Z', '--add', 'five', '--unit', 'workday'], '--add'],
    [['--from', '2026-03-02T10:00:00Z', '--add', '0', '--unit', 'day'], '--add'],
    [['--from', '2026-03-02T10:00:00Z', '--add', '5', '--unit', 'week'], '--unit'],
    [['--add', '5', '--unit', 'day'], '--from'],
    [
      ['--from', '2026-03-02T10:00:00Z', '--add', '5', '--unit', 'day', '--suspend', '2026-03-03T10:00Z'],
      '--suspend',
    ],
  ])('exits 2 naming the problem for %j', async (args, named) => {
    const r = await run(...args);
    expect(r.exitCode).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toContain(named);
  });

  it('exits 2 naming the entry of a bad override table', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'onegrid-deadline-'));
    const file = join(dir, 'overrides.json');
    writeFileSync(file, JSON.stringify({ years: [2027], holidays: ['2027-02-30'], workdays: [] }));
    const r = await run('--from', '2026-03-02T10:00:00Z', '--add', '1', '--unit', 'day', '--overrides', file);
    expect(r.exitCode).toBe(2);
    expect(r.err).toContain('overrides.holidays[0]');
  });

  it('--help describes the command, its units and exit codes', async () => {
    const r = await run('--help');
    expect(r.exitCode).toBe(0);
    expect(r.out).toContain('Usage: onegrid deadline');
    for (const text of [
      '--from <instant>',
      '--add <n>',
      '--unit <unit>',
      'workhour',
      'Exit codes',
      '+08:00',
    ]) {
      expect(r.out).toContain(text);
    }
  });
});

describe('onegrid deadline (through bin/onegrid.js)', () => {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

  it('prints the due instant on stdout and exits 0', { timeout: 90_000 }, () => {
    const result = spawnSync(
      process.execPath,
      ['bin/onegrid.js', 'deadline', '--from', '2026-02-05T09:00:00+08:00', '--add', '15', '--unit', 'day'],
      // From source: a dist/ built earlier may not hold this command yet.
      { cwd: root, encoding: 'utf8', env: { ...process.env, ONEGRID_FROM_SOURCE: '1' }, timeout: 80_000 },
    );
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    // 02-05 + 15 days = 02-20, inside the Spring Festival holiday → the next working day, 02-24.
    expect(result.stdout).toBe('2026-02-24T23:59:59.999+08:00\n');
  });
});

describe.each(DIALECTS)('onegrid deadline --db: the database’s override table [%s]', (dialect) => {
  const saved = { ...process.env };
  const schema = `t_cli_${process.pid}_${randomBytes(4).toString('hex')}`;
  const args = ['--db', '--from', '2026-12-30T10:00:00+08:00', '--add', '3', '--unit', 'workday'];

  beforeAll(() => {
    // The command opens the database of the normal configuration, read from the environment.
    process.env.ONEGRID_DATA_DIR = mkdtempSync(join(tmpdir(), 'onegrid-deadline-db-'));
    process.env.ONEGRID_SECRET = 'x'.repeat(40);
    process.env.ONEGRID_LOG_LEVEL = 'silent';
    if (dialect === 'postgres') {
      process.env.DATABASE_URL = testDatabaseUrl();
      process.env.DATABASE_SCHEMA = schema;
    } else {
      delete process.env.DATABASE_URL;
      delete process.env.DATABASE_SCHEMA;
    }
  });
  afterAll(async () => {
    process.env = saved;
    if (dialect === 'postgres') await dropSchema(schema);
  });

  it(
    'exits 3 for a year the table lacks, and uses the year once the bureau has declared it',
    { timeout: 60_000 },
    async () => {
      const unknown = await run(...args);
      expect(unknown.exitCode).toBe(3);
      expect(unknown.err).toContain('2027');

      const deps = await openDeps(loadConfig());
      try {
        const ctx = { actor: systemActor('test') };
        const rules = createCaseRulesSource(deps);
        await putCalendarDay(deps, rules, ctx, '2027-01-01', { kind: 'holiday', name: '元旦' });
        await declareCalendarYear(deps, rules, ctx, 2027);
      } finally {
        await deps.database.close();
      }
      // 12-31 (Thu) 1, 01-01 holiday, weekend, 01-04 2, 01-05 3.
      expect(await run(...args)).toEqual({ out: '2027-01-05T23:59:59.999+08:00\n', err: '', exitCode: 0 });
      // Without --db the library alone still refuses the year.
      expect((await run(...args.slice(1))).exitCode).toBe(3);
    },
  );

  it('exits 2 when given both --db and --overrides', async () => {
    const r = await run(...args, '--overrides', '/nonexistent.json');
    expect(r.exitCode).toBe(2);
    expect(r.err).toContain('--db');
  });
});
