import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../platform/config/config.js';
import { parseStandardDirectory } from './categories.js';
import { CATEGORY_NAMES_EN, MAJOR_NAMES_EN } from './category-names-en.js';

// The shared data folder beside the project, as config.sharedDataDir resolves it by default.
const csv = readFileSync(
  join(projectRoot(), '..', 'shared', 'data', 'categories', 'gbt47678-5-2026-directory.csv'),
  'utf8',
);
const rows = parseStandardDirectory(csv);

describe('English category names', () => {
  it('covers the whole directory: 153 components and 250 events', () => {
    expect(rows.filter((r) => r.kind === 'component')).toHaveLength(153);
    expect(rows.filter((r) => r.kind === 'event')).toHaveLength(250);
  });

  it('has one for every row of the directory and nothing else', () => {
    const missing = rows
      .filter((r) => CATEGORY_NAMES_EN[r.key] === undefined)
      .map((r) => `${r.key} ${r.name}`);
    expect(missing).toEqual([]);
    expect(Object.keys(CATEGORY_NAMES_EN).sort()).toEqual(rows.map((r) => r.key).sort());
  });

  it('names every major class of the directory', () => {
    const majors = [...new Set(rows.map((r) => `${r.kind}:${r.majorCode}`))].sort();
    expect(majors).toHaveLength(15);
    expect(Object.keys(MAJOR_NAMES_EN).sort()).toEqual(majors);
  });

  it('writes plain English: no Chinese characters, trimmed, capitalised, no full-width punctuation', () => {
    for (const [key, name] of [...Object.entries(CATEGORY_NAMES_EN), ...Object.entries(MAJOR_NAMES_EN)]) {
      expect(name, key).toMatch(/^[A-Z][\x20-\x7E]*[a-z)]$/);
      expect(name, key).toBe(name.trim());
    }
  });

  it('gives distinct names inside each kind, so a list never shows two identical entries', () => {
    for (const kind of ['component', 'event']) {
      const names = Object.entries(CATEGORY_NAMES_EN)
        .filter(([k]) => k.startsWith(`${kind}:`))
        .map(([, n]) => n.toLowerCase());
      const dup = names.filter((n, i) => names.indexOf(n) !== i);
      expect(dup, kind).toEqual([]);
    }
  });

  it('names a mirrored 管理事项 (01–05) after its component, as the directory does with 异常', () => {
    for (const r of rows.filter((x) => x.kind === 'event' && Number(x.majorCode) <= 5)) {
      expect(r.name).toContain('异常');
      expect(CATEGORY_NAMES_EN[r.key]).toBe(`${CATEGORY_NAMES_EN[`component:${r.code}`]} problem`);
    }
    expect(CATEGORY_NAMES_EN['component:01001']).toBe('Water supply manhole cover');
    expect(CATEGORY_NAMES_EN['event:06001']).toBe('Illegal construction');
  });
});
