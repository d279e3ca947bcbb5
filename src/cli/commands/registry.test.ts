import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { DIALECTS } from '../../platform/testing/db.js';
import { buildTestDeps, type TestDeps } from '../../testing/deps.js';
import { CliExit } from '../context.js';
import { register } from './registry.js';

type Run = { out: string; err: string; exitCode: number };

/** Runs `onegrid registry …` in-process against a test database, capturing stdout, stderr and the exit code. */
async function run(deps: TestDeps, ...args: string[]): Promise<Run> {
  let out = '';
  let err = '';
  const so = vi
    .spyOn(process.stdout, 'write')
    .mockImplementation((s: string | Uint8Array) => ((out += String(s)), true));
  const se = vi
    .spyOn(process.stderr, 'write')
    .mockImplementation((s: string | Uint8Array) => ((err += String(s)), true));
  const program = new Command('onegrid');
  program.exitOverride();
  register(program, (work) => work(deps));
  let exitCode = 0;
  try {
    await program.parseAsync(['registry', ...args], { from: 'user' });
  } catch (e) {
    // As main() does: CliExit carries the exit code and a message for stderr.
    if (!(e instanceof CliExit)) throw e;
    err += `onegrid: ${e.message}\n`;
    exitCode = e.exitCode;
  } finally {
    so.mockRestore();
    se.mockRestore();
  }
  return { out, err, exitCode };
}

afterEach(() => {
  vi.restoreAllMocks();
});

for (const dialect of DIALECTS) {
  describe(`onegrid registry import / export [${dialect}]`, () => {
    let deps: TestDeps;
    const dir = mkdtempSync(join(tmpdir(), 'onegrid-registry-cli-'));
    beforeAll(async () => {
      deps = await buildTestDeps(dialect);
    });
    afterAll(async () => deps.cleanup());

    it('lists every bad row with file:line: field, exits 1 and imports nothing', async () => {
      const file = join(dir, `bad-${dialect}.csv`);
      writeFileSync(
        file,
        'code,name,communityCode\r\nC-1,东苑,310112101001\r\nC-2,,310112101001\r\nC-3,西苑,310112101777\r\n',
      );
      const r = await run(deps, 'import', 'compounds', file);
      expect(r.exitCode).toBe(1);
      expect(r.out).toBe('');
      expect(r.err).toContain(`${file}:3: name:`);
      expect(r.err).toContain(`${file}:4: communityCode:`);
      expect(r.err).toContain('nothing imported');
      expect(await deps.database.db.selectFrom('compound').selectAll().execute()).toEqual([]);

      const skip = await run(deps, 'import', 'compounds', file, '--skip-bad-rows');
      expect(skip.exitCode).toBe(0);
      expect(skip.out).toBe('imported 1 of 3 compounds\n');
      expect(skip.err).toContain('skipped lines: 3, 4');
    });

    it('exports to a file that imports back as duplicates of what is there', async () => {
      const out = join(dir, `export-${dialect}.csv`);
      const r = await run(deps, 'export', 'compounds', '--out', out);
      expect(r.exitCode).toBe(0);
      expect(r.err).toBe(`exported 1 compounds to ${out}\n`);
      expect(readFileSync(out, 'utf8')).toBe(
        '\uFEFFcode,name,address,lng,lat,communityCode,propertyCompanyCreditCode,ownersCommittee,active\r\nC-1,东苑,,,,310112101001,,,true\r\n',
      );
      const again = await run(deps, 'import', 'compounds', out);
      expect(again.exitCode).toBe(1);
      expect(again.err).toContain(`${out}:2: code:`);
      const stdout = await run(deps, 'export', 'merchants');
      expect(stdout.out).toBe('\uFEFFname,address,lng,lat,subdistrictCode,business,active\r\n');
    });

    it('refuses an unknown kind and an unreadable file with exit code 2', async () => {
      expect(await run(deps, 'import', 'shops', join(dir, 'x.csv'))).toMatchObject({ exitCode: 2 });
      const missing = await run(deps, 'import', 'merchants', join(dir, 'does-not-exist.csv'));
      expect(missing.exitCode).toBe(2);
      expect(missing.err).toContain('cannot read');
    });
  });
}
