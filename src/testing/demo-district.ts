import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../platform/config/config.js';
import { generateDemoDistrict, loadMinhangSources, type DemoDistrict } from '../registry/demo/index.js';
import { DEMO_SEED } from '../registry/demo.service.js';

/**
 * The demo district for tests, generated once per machine and code version: several test files need it
 * and generation takes seconds. The cache key hashes the generator's sources, so a change regenerates.
 */
export async function testDemoDistrict(seed = DEMO_SEED): Promise<DemoDistrict> {
  const dir = join(projectRoot(), 'src', 'registry', 'demo');
  const h = createHash('sha256').update(String(seed));
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.ts') && !n.endsWith('.test.ts')).sort()) h.update(readFileSync(join(dir, f)));
  const file = join(tmpdir(), `onegrid-demo-${h.digest('hex').slice(0, 16)}.json`);
  if (existsSync(file)) {
    try {
      return JSON.parse(readFileSync(file, 'utf8')) as DemoDistrict;
    } catch {
      // a torn or foreign file: regenerate below
    }
  }
  const d = generateDemoDistrict(await loadMinhangSources(join(projectRoot(), '..', 'shared', 'data')), { seed });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(d));
  renameSync(tmp, file);
  return d;
}
