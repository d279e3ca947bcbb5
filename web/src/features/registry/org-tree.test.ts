import { describe, expect, it } from 'vitest';
import { ancestry, buildOrgTree, filterOrgTree } from './org-tree';
import type { OrgUnit } from './registry-api';

const unit = (id: string, parentId: string | null, kind: string, name: string, code = id): OrgUnit => ({
  id,
  parentId,
  kind,
  code,
  name,
  nameEn: null,
  path: '',
  active: true,
  version: 1,
});

const UNITS = [
  unit('c1', 'w1', 'community', '东街居委会', '310112101001'),
  unit('b', null, 'bureau', '闵行区城市管理行政执法局', '310112'),
  unit('w1', 's1', 'workstation', '莘庄镇东街城管社区工作站', '310112101-GZZ01'),
  unit('q1', 's1', 'squad', '莘庄镇城管执法中队', '310112101-ZD'),
  unit('s1', 'b', 'subdistrict', '莘庄镇', '310112101'),
  unit('d1', 'b', 'department', '闵行区拆除违法建筑工作办公室', '310112-CWB'),
  unit('x', 'elsewhere', 'community', '西街居委会', '310112101002'),
];

describe('org tree', () => {
  it('nests by parentId, puts units whose parent is out of scope at the top, and orders siblings by kind', () => {
    const roots = buildOrgTree(UNITS);
    expect(roots.map((r) => r.unit.id)).toEqual(['b', 'x']);
    const bureau = roots[0];
    expect(bureau?.children.map((c) => c.unit.kind)).toEqual(['subdistrict', 'department']);
    expect(bureau?.children[0]?.children.map((c) => c.unit.id)).toEqual(['q1', 'w1']);
  });

  it('keeps matches with their ancestors and opens the way to them', () => {
    const { roots, expand, matches } = filterOrgTree(buildOrgTree(UNITS), '东街');
    expect(matches).toBe(2); // the workstation and the community
    expect(roots.map((r) => r.unit.id)).toEqual(['b']);
    expect(expand.sort()).toEqual(['b', 's1', 'w1']);
    expect(filterOrgTree(buildOrgTree(UNITS), '310112-cwb').matches).toBe(1); // codes, any case
    expect(filterOrgTree(buildOrgTree(UNITS), '不存在').roots).toEqual([]);
  });

  it('gives the chain from the top to a unit', () => {
    const byId = new Map(UNITS.map((u) => [u.id, u]));
    expect(ancestry(byId, 'c1').map((u) => u.id)).toEqual(['b', 's1', 'w1', 'c1']);
  });
});
