import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { projectRoot } from '../platform/config/config.js';
import { DURATION_UNITS } from '../platform/calendar/deadline.js';
import { DomainError } from '../platform/errors.js';
import {
  DEFAULT_LOCAL_CATEGORIES,
  STANDARD_FAMILIES,
  TIME_LIMIT_UNITS,
  isUnitKindRef,
  localCodeProblem,
  parseStandardDirectory,
  parseTimeLimit,
  patchNeeds,
  standardDefaults,
} from './categories.js';

const csv = readFileSync(
  join(projectRoot(), '..', 'shared', 'data', 'categories', 'gbt47678-5-2026-directory.csv'),
  'utf8',
);
const rows = parseStandardDirectory(csv);
const byKey = new Map(rows.map((r) => [r.key, r]));

const thrown = (f: () => unknown): DomainError => {
  try {
    f();
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error('expected a DomainError');
};

describe('the GB/T 47678.5 directory CSV', () => {
  it('parses the shared file (CRLF) into 403 keyed rows in 15 major classes', () => {
    expect(csv).toContain('\r\n');
    expect(rows).toHaveLength(403);
    expect(new Set(rows.map((r) => r.key)).size).toBe(403);
    expect(byKey.get('component:01001')).toEqual({
      key: 'component:01001',
      kind: 'component',
      code: '01001',
      majorCode: '01',
      majorName: '市政公用设施',
      name: '供水井盖',
    });
    expect(byKey.get('event:06005')?.name).toBe('临街阳台、屋顶脏乱差');
  });

  it('names the line and the problem of a bad row', () => {
    const head = 'kind,major_code,major_name,code,name\n';
    expect(thrown(() => parseStandardDirectory('a,b\n')).details).toMatchObject({ field: 'file', line: 1 });
    expect(
      thrown(() =>
        parseStandardDirectory(`${head}管理部件,01,市政公用设施,01001,供水井盖\n其他,01,x,01002,y\n`),
      ).details,
    ).toMatchObject({ line: 3, reason: 'kind' });
    expect(
      thrown(() => parseStandardDirectory(`${head}管理部件,01,市政公用设施,02001,x\n`)).details,
    ).toMatchObject({ line: 2, reason: 'code' });
    expect(
      thrown(() => parseStandardDirectory(`${head}管理部件,01,市政公用设施,01001,a,b\n`)).details,
    ).toMatchObject({ reason: 'columns' });
    expect(
      thrown(() => parseStandardDirectory(`${head}管理部件,01,x,01001,a\n管理部件,01,x,01001,b\n`)).details,
    ).toMatchObject({ line: 3, reason: 'duplicate' });
    expect(thrown(() => parseStandardDirectory(head)).messageKey).toBe('categoryCsvEmpty');
  });
});

describe('defaults of standard categories', () => {
  it('give every category a valid unit kind and time limit', () => {
    for (const r of rows) {
      const d = standardDefaults(r.code);
      expect(isUnitKindRef(d.unitKind), r.key).toBe(true);
      expect(parseTimeLimit(d.timeLimit), r.key).not.toBeNull();
    }
  });

  it('follow DOMAIN-CN §1.6 and the handling unit of each kind of matter', () => {
    expect(standardDefaults('06010')).toEqual({ unitKind: 'department:greening', timeLimit: '1 workday' }); // 暴露垃圾
    expect(standardDefaults('06001')).toEqual({ unitKind: 'squad', timeLimit: '4 workhour' }); // 私搭乱建: stop-work
    expect(standardDefaults('06025').timeLimit).toBe('15 workday'); // 水域不洁
    expect(standardDefaults('01001').unitKind).toBe('department:water'); // 供水井盖
    expect(standardDefaults('01005').unitKind).toBe('department:utility'); // 电力井盖
    expect(standardDefaults('04002').unitKind).toBe('department:greening'); // 行道树
    expect(standardDefaults('09006').unitKind).toBe('squad'); // 占道经营
    expect(standardDefaults('06041').unitKind).toBe('workstation'); // 垃圾未分类
  });

  it('put only building work in the illegal-construction family (违章接坡 is a road offence)', () => {
    const family = Object.entries(STANDARD_FAMILIES)
      .filter(([, f]) => f === 'illegalConstruction')
      .map(([k]) => k);
    expect(family.sort()).toEqual(['event:06001', 'event:08016']);
    expect(STANDARD_FAMILIES['event:06003']).toBeUndefined();
    for (const k of Object.keys(STANDARD_FAMILIES)) expect(byKey.has(k as never), k).toBe(true);
  });
});

describe('time limits and unit kinds', () => {
  it('use the units of the deadline engine', () => {
    expect([...TIME_LIMIT_UNITS]).toEqual([...DURATION_UNITS]);
  });

  it('parse "<n> <unit>" and nothing else', () => {
    expect(parseTimeLimit('1 workday')).toEqual({ n: 1, unit: 'workday' });
    expect(parseTimeLimit('4 workhour')).toEqual({ n: 4, unit: 'workhour' });
    for (const bad of ['', '0 day', '1 workdays', '1workday', ' 1 day', '1.5 day', '-1 day', '1 week'])
      expect(parseTimeLimit(bad), bad).toBeNull();
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 9999 }), fc.constantFrom(...TIME_LIMIT_UNITS), (n, unit) => {
        expect(parseTimeLimit(`${n} ${unit}`)).toEqual({ n, unit });
      }),
    );
  });

  it('accept squad, workstation and known departments only', () => {
    for (const ok of ['squad', 'workstation', 'department:water', 'department:greening'])
      expect(isUnitKindRef(ok), ok).toBe(true);
    for (const bad of ['department:', 'department:moon', 'Squad', 'community', 'department:water:x'])
      expect(isUnitKindRef(bad), bad).toBe(false);
  });
});

describe('local categories', () => {
  it('codes are the major class + 901–999', () => {
    expect(localCodeProblem('06', '06901')).toBeNull();
    expect(localCodeProblem('06', '06999')).toBeNull();
    expect(localCodeProblem('06', '06001')).toBe('localRange');
    expect(localCodeProblem('06', '07901')).toBe('majorPrefix');
    expect(localCodeProblem('06', '6901')).toBe('format');
  });

  it('the default set covers the glossary matters, under existing classes and parents', () => {
    const families = DEFAULT_LOCAL_CATEGORIES.map((c) => c.family).sort();
    expect(families).toEqual(['groupRental', 'illegalConstruction', 'muckTransport', 'renovation']);
    for (const c of DEFAULT_LOCAL_CATEGORIES) {
      expect(localCodeProblem(c.code.slice(0, 2), c.code), c.code).toBeNull();
      expect(
        rows.some((r) => r.kind === c.kind && r.majorCode === c.code.slice(0, 2)),
        c.code,
      ).toBe(true);
      if (c.parentKey) expect(byKey.get(c.parentKey)?.majorCode).toBe(c.code.slice(0, 2));
      expect(isUnitKindRef(c.defaultUnitKind)).toBe(true);
      expect(parseTimeLimit(c.defaultTimeLimit)).not.toBeNull();
    }
    expect(DEFAULT_LOCAL_CATEGORIES.find((c) => c.name === '新增违建')).toMatchObject({
      parentKey: 'event:06001',
      family: 'illegalConstruction',
      defaultTimeLimit: '2 hour',
    });
  });

  it('patches: standard categories change only their defaults; each part needs its permission', () => {
    expect(patchNeeds({ local: false }, { defaultTimeLimit: '2 workday' })).toEqual({
      registryWrite: false,
      rulesManage: true,
    });
    expect(patchNeeds({ local: true }, { name: 'x', defaultUnitKind: 'squad' })).toEqual({
      registryWrite: true,
      rulesManage: true,
    });
    expect(patchNeeds({ local: true }, { active: false })).toEqual({
      registryWrite: true,
      rulesManage: false,
    });
    expect(thrown(() => patchNeeds({ local: false }, { nameEn: 'x' })).details).toEqual({ field: 'nameEn' });
    expect(thrown(() => patchNeeds({ local: false }, { active: false })).messageKey).toBe(
      'categoryStandardReadOnly',
    );
    expect(thrown(() => patchNeeds({ local: true }, {})).messageKey).toBe('categoryEmptyPatch');
    expect(thrown(() => patchNeeds({ local: false }, { defaultTimeLimit: '2 weeks' })).details).toMatchObject(
      { field: 'defaultTimeLimit' },
    );
    expect(
      thrown(() => patchNeeds({ local: false }, { defaultUnitKind: 'department:moon' })).details,
    ).toMatchObject({ field: 'defaultUnitKind' });
  });
});
