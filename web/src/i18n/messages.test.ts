import { describe, expect, it } from 'vitest';
import { en } from './en';
import { interpolate, lookup } from './messages';
import { zhCN } from './zh-CN';

/** Every dotted path to a string in a dictionary. */
function paths(node: unknown, prefix = ''): string[] {
  if (typeof node === 'string') return [prefix.slice(0, -1)];
  return Object.entries(node as Record<string, unknown>).flatMap(([k, v]) => paths(v, `${prefix}${k}.`));
}

describe('dictionaries', () => {
  it('zh-CN and en have the same keys and no empty string', () => {
    expect(paths(en).sort()).toEqual(paths(zhCN).sort());
    for (const path of paths(zhCN)) {
      expect(lookup(zhCN, path), `zh-CN ${path}`).not.toBe('');
      expect(lookup(en, path), `en ${path}`).not.toBe('');
    }
  });

  it('names all nine roles of MISSION.md', () => {
    const roles = [
      'bureauLeader',
      'bureauStaff',
      'squadLeader',
      'dispatcher',
      'officer',
      'workstationStaff',
      'departmentLiaison',
      'propertyCompany',
      'resident',
    ];
    expect(Object.keys(zhCN.roles).sort()).toEqual([...roles].sort());
  });
});

describe('lookup and interpolate', () => {
  it('finds strings by dotted path and nothing else', () => {
    expect(lookup(zhCN, 'roles.dispatcher')).toBe('受理派遣员');
    expect(lookup(en, 'roles.dispatcher')).toBe('Dispatcher');
    expect(lookup(en, 'roles')).toBeUndefined();
    expect(lookup(en, 'roles.mayor')).toBeUndefined();
    expect(lookup(en, 'roles.toString')).toBeUndefined();
  });

  it('fills placeholders and leaves unknown ones', () => {
    expect(interpolate('您好，{name}', { name: '陈' })).toBe('您好，陈');
    expect(interpolate('{a} {b}', { a: 1 })).toBe('1 {b}');
  });
});
