import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DomainError } from '../platform/errors.js';
import { FusionIndex } from './fusion-index.js';
import {
  DEFAULT_RULE_PRIORITY,
  assertRuleSpec,
  decide,
  defaultRules,
  describeRule,
  majorOf,
  orderRules,
  resolveTarget,
  targetOfUnitKind,
  type PointCell,
  type ResponsibilityRule,
  type RoutingWorld,
  type RuleSpec,
  type UnitInfo,
} from './routing.js';

// A small district: bureau B › subdistricts S1 and S2, each with its squad; S1 › workstation W1 › community
// C1; the water department. S3 has no squad.
const unit = (id: string, kind: string, path: string): UnitInfo => ({
  id,
  kind,
  code: id,
  name: `name-${id}`,
  nameEn: null,
  path,
});
const UNITS = [
  unit('B', 'bureau', '/B/'),
  unit('S1', 'subdistrict', '/B/S1/'),
  unit('Q1', 'squad', '/B/S1/Q1/'),
  unit('W1', 'workstation', '/B/S1/W1/'),
  unit('C1', 'community', '/B/S1/W1/C1/'),
  unit('S2', 'subdistrict', '/B/S2/'),
  unit('Q2', 'squad', '/B/S2/Q2/'),
  unit('S3', 'subdistrict', '/B/S3/'),
  unit('Dw', 'department', '/B/Dw/'),
];
const world: RoutingWorld = {
  units: new Map(UNITS.map((u) => [u.id, u])),
  squadOfSubdistrict: new Map([
    ['S1', 'Q1'],
    ['S2', 'Q2'],
  ]),
  departmentUnits: new Map([['water', 'Dw']]),
  bureauId: 'B',
  districtLayer: 'district',
  layers: ['district', 'subdistricts', 'workstationAreas', 'communities'],
};
const cell = (layer: string, code: string, unitId: string | null): PointCell => ({
  layer,
  version: 1,
  versionId: `v-${layer}`,
  code,
  unitId,
});
/** A point in S1, in W1's area and C1. */
const inS1 = [
  cell('district', '310112', 'B'),
  cell('subdistricts', 'S1', 'S1'),
  cell('workstationAreas', 'W1', 'W1'),
  cell('communities', 'C1', 'C1'),
];

let n = 0;
const rule = (r: Partial<ResponsibilityRule>): ResponsibilityRule => ({
  id: r.id ?? `r${String(++n).padStart(3, '0')}`,
  categoryKey: null,
  majorCode: null,
  area: { kind: 'everywhere' },
  lead: { fixedUnitId: 'B' },
  assisting: [],
  priority: 0,
  note: null,
  active: true,
  version: 1,
  createdAt: '2026-11-29T00:00:00.000Z',
  updatedAt: '2026-11-29T00:00:00.000Z',
  ...r,
});
const run = (rules: ResponsibilityRule[], cells: PointCell[], category: string | null) =>
  decide(world, orderRules(rules, world.units), cells, category);

describe('rule matching', () => {
  it('takes the exact category over its major class over any, at equal priority', () => {
    const any = rule({ id: 'a', lead: { fixedUnitId: 'S2' } });
    const major = rule({ id: 'b', majorCode: 'event:06', lead: { departmentKind: 'water' } });
    const exact = rule({
      id: 'c',
      categoryKey: 'event:06001',
      lead: { fromLayer: 'subdistricts', as: 'squad' },
    });
    expect(run([any, major, exact], inS1, 'event:06001')).toMatchObject({
      kind: 'responsible',
      unitId: 'Q1',
      rule: { id: 'c' },
    });
    expect(run([any, major, exact], inS1, 'event:06002')).toMatchObject({
      kind: 'responsible',
      unitId: 'Dw',
      rule: { id: 'b' },
    });
    expect(run([any, major, exact], inS1, 'component:06001')).toMatchObject({
      kind: 'responsible',
      unitId: 'S2',
      rule: { id: 'a' },
    });
  });

  it('takes a higher priority before any specificity', () => {
    const exact = rule({
      id: 'x',
      categoryKey: 'event:06001',
      area: { kind: 'cell', layer: 'communities', code: 'C1' },
    });
    const broad = rule({ id: 'y', priority: 5, lead: { fixedUnitId: 'S2' } });
    expect(run([exact, broad], inS1, 'event:06001')).toMatchObject({ unitId: 'S2', rule: { id: 'y' } });
  });

  it('takes a cell over a unit over everywhere, and the deeper unit of two', () => {
    const everywhere = rule({ id: 'e', lead: { fixedUnitId: 'B' } });
    const inSub = rule({ id: 'u1', area: { kind: 'unit', unitId: 'S1' }, lead: { fixedUnitId: 'S1' } });
    const inCommunity = rule({ id: 'u2', area: { kind: 'unit', unitId: 'C1' }, lead: { fixedUnitId: 'C1' } });
    const inCell = rule({
      id: 'k',
      area: { kind: 'cell', layer: 'workstationAreas', code: 'W1' },
      lead: { fixedUnitId: 'W1' },
    });
    expect(run([everywhere, inSub, inCommunity, inCell], inS1, 'event:06001')).toMatchObject({
      unitId: 'W1',
    });
    expect(run([everywhere, inSub, inCommunity], inS1, 'event:06001')).toMatchObject({ unitId: 'C1' });
    expect(run([everywhere, inSub], inS1, 'event:06001')).toMatchObject({ unitId: 'S1' });
    // a unit area holds a point through any cell's unit or its ancestors; S2's area does not hold it
    const inS2 = rule({
      id: 'u3',
      priority: 9,
      area: { kind: 'unit', unitId: 'S2' },
      lead: { fixedUnitId: 'S2' },
    });
    expect(run([everywhere, inS2], inS1, 'event:06001')).toMatchObject({ unitId: 'B' });
    expect(
      run(
        [everywhere, inS2],
        [cell('district', '310112', 'B'), cell('communities', 'C9', 'S2')],
        'event:06001',
      ),
    ).toMatchObject({ unitId: 'S2' });
  });

  it('breaks full ties by id and ignores inactive rules', () => {
    const a = rule({ id: 'm', lead: { fixedUnitId: 'S1' } });
    const b = rule({ id: 'k', lead: { fixedUnitId: 'S2' } });
    expect(run([a, b], inS1, 'event:06001')).toMatchObject({ rule: { id: 'k' } });
    expect(run([a, { ...b, active: false }], inS1, 'event:06001')).toMatchObject({ rule: { id: 'm' } });
  });

  it('gives the same answer whatever the order rules are listed in (property)', () => {
    const target = fc.constantFrom<ResponsibilityRule['lead']>(
      { fixedUnitId: 'S1' },
      { fixedUnitId: 'S2' },
      { departmentKind: 'water' },
      { fromLayer: 'workstationAreas' },
    );
    const arbRule = fc.record({
      id: fc.string({ minLength: 1, maxLength: 3 }),
      categoryKey: fc.constantFrom(null, 'event:06001', 'event:06002'),
      majorCode: fc.constantFrom(null, 'event:06', 'event:07'),
      area: fc.constantFrom<ResponsibilityRule['area']>(
        { kind: 'everywhere' },
        { kind: 'unit', unitId: 'S1' },
        { kind: 'unit', unitId: 'C1' },
        { kind: 'cell', layer: 'communities', code: 'C1' },
      ),
      lead: target,
      priority: fc.integer({ min: -1, max: 2 }),
      active: fc.boolean(),
    });
    fc.assert(
      fc.property(
        fc.uniqueArray(arbRule, { selector: (r) => r.id, maxLength: 12 }),
        fc.constantFrom('event:06001', 'event:06002', 'event:07001'),
        (specs, category) => {
          const rules = specs.map((s) => rule(s));
          const forward = run(rules, inS1, category);
          const backward = run([...rules].reverse(), inS1, category);
          expect(backward).toEqual(forward);
        },
      ),
    );
  });
});

describe('targets', () => {
  it('resolves a fixed unit, a layer cell’s unit, its subdistrict’s squad and a department', () => {
    expect(resolveTarget(world, { fixedUnitId: 'Q2' }, inS1)).toBe('Q2');
    expect(resolveTarget(world, { fixedUnitId: 'gone' }, inS1)).toBeNull();
    expect(resolveTarget(world, { fromLayer: 'workstationAreas' }, inS1)).toBe('W1');
    expect(resolveTarget(world, { fromLayer: 'communities', as: 'squad' }, inS1)).toBe('Q1'); // C1's ancestor S1
    expect(resolveTarget(world, { fromLayer: 'policeGrid' }, inS1)).toBeNull();
    expect(resolveTarget(world, { departmentKind: 'water' }, inS1)).toBe('Dw');
    expect(resolveTarget(world, { departmentKind: 'construction' }, inS1)).toBeNull();
  });

  it('lists assisting units once, without the lead and without those that resolve to nothing', () => {
    const r = rule({
      lead: { fromLayer: 'subdistricts', as: 'squad' },
      assisting: [
        { departmentKind: 'water' },
        { fixedUnitId: 'Q1' },
        { departmentKind: 'water' },
        { departmentKind: 'police' },
      ],
    });
    expect(run([r], inS1, 'event:06001')).toMatchObject({
      kind: 'responsible',
      unitId: 'Q1',
      assisting: ['Dw'],
    });
  });
});

describe('triage', () => {
  it('sends a point outside the district to the bureau, whatever the rules say', () => {
    expect(run([rule({})], [], 'event:06001')).toEqual({
      kind: 'triage',
      reason: 'outsideDistrict',
      unitId: 'B',
      ruleId: null,
    });
    // in a subdistrict cell but not in the district outline: still outside
    expect(run([rule({})], [cell('subdistricts', 'S1', 'S1')], 'event:06001')).toMatchObject({
      reason: 'outsideDistrict',
      unitId: 'B',
    });
    // without a district layer, any cell puts the point inside
    const noOutline = { ...world, layers: ['subdistricts'] };
    expect(decide(noOutline, [], [cell('subdistricts', 'S1', 'S1')], 'event:06001')).toMatchObject({
      reason: 'noRule',
      unitId: 'Q1',
    });
  });

  it('sends a report without category, or that no rule covers, to the squad of the point’s subdistrict', () => {
    expect(run([rule({})], inS1, null)).toEqual({
      kind: 'triage',
      reason: 'noCategory',
      unitId: 'Q1',
      ruleId: null,
    });
    expect(run([rule({ majorCode: 'event:07' })], inS1, 'event:06001')).toMatchObject({
      reason: 'noRule',
      unitId: 'Q1',
    });
    // the subdistrict from another layer's unit when the subdistricts layer has no cell there
    expect(
      run([], [cell('district', '310112', 'B'), cell('communities', 'C1', 'C1')], 'event:06001'),
    ).toMatchObject({ reason: 'noRule', unitId: 'Q1' });
    // a subdistrict without a squad, or no subdistrict at all: the bureau
    expect(
      run([], [cell('district', '310112', 'B'), cell('subdistricts', 'S3', 'S3')], 'event:06001'),
    ).toMatchObject({ reason: 'noRule', unitId: 'B' });
    expect(run([], [cell('district', '310112', 'B')], 'event:06001')).toMatchObject({
      reason: 'noRule',
      unitId: 'B',
    });
  });

  it('names the rule whose lead resolves to nothing', () => {
    const r = rule({ id: 'needs-police', lead: { fromLayer: 'policeGrid' } });
    expect(run([r], inS1, 'event:06001')).toEqual({
      kind: 'triage',
      reason: 'targetUnresolved',
      unitId: 'Q1',
      ruleId: 'needs-police',
    });
  });
});

describe('border points', () => {
  // Two subdistricts sharing the edge x = 121.40: a point on it belongs to the cell with the smaller code
  // (FusionIndex's rule), so every rule sees S1 and the report goes to S1's squad.
  // Corners written out (121.38 + 0.02 is not 121.4 in floating point).
  const square = (x0: number, x1: number): number[][][] => [
    [
      [x0, 31.1],
      [x1, 31.1],
      [x1, 31.12],
      [x0, 31.12],
      [x0, 31.1],
    ],
  ];
  const index = FusionIndex.build([
    {
      layerId: 'subdistricts',
      version: 1,
      cells: [
        {
          code: 'S2',
          unitRef: 'S2',
          geometry: { type: 'Polygon', coordinates: square(121.4, 121.42) as [number, number][][] },
        },
        {
          code: 'S1',
          unitRef: 'S1',
          geometry: { type: 'Polygon', coordinates: square(121.38, 121.4) as [number, number][][] },
        },
      ],
    },
  ]);
  const cellsAt = (x: number, y: number) =>
    index.resolve(x, y).flatMap((a) => ('none' in a ? [] : [cell(a.layerId, a.code, a.unitRef)]));
  const squadRule = rule({ lead: { fromLayer: 'subdistricts', as: 'squad' } });
  const flat = { ...world, layers: ['subdistricts'] };

  it('gives a point on the shared edge, and on a shared corner, to the smaller code', () => {
    expect(index.matchesInLayer('subdistricts', 121.4, 31.11).map((m) => m.code)).toEqual(['S1', 'S2']);
    expect(decide(flat, [squadRule], cellsAt(121.4, 31.11), 'event:06001')).toMatchObject({ unitId: 'Q1' });
    expect(decide(flat, [squadRule], cellsAt(121.4, 31.1), 'event:06001')).toMatchObject({ unitId: 'Q1' });
    expect(decide(flat, [squadRule], cellsAt(121.4000001, 31.11), 'event:06001')).toMatchObject({
      unitId: 'Q2',
    });
  });
});

describe('default rules', () => {
  const cat = (
    key: string,
    defaultUnitKind: 'squad' | 'workstation' | `department:${'water' | 'greening'}` | null,
    active = true,
  ) => {
    const [kind = '', code = ''] = key.split(':');
    return { key, kind, majorCode: code.slice(0, 2), defaultUnitKind, active };
  };

  it('gives each major class its most common default and each differing category its own', () => {
    const rules = defaultRules([
      cat('event:06001', 'squad'),
      cat('event:06002', 'squad'),
      cat('event:06005', 'workstation'),
      cat('event:06015', 'department:water'),
      cat('event:06099', 'department:water', false), // inactive: no rule, and not counted
      cat('component:01001', 'department:water'),
      cat('component:01014', 'department:greening'),
      cat('component:01020', null),
    ]);
    const view = rules.map((r) => [r.categoryKey ?? r.majorCode, r.lead]);
    expect(view).toEqual([
      // component:01 is a tie between water and greening: departments in name order, greening first
      ['component:01', { departmentKind: 'greening' }],
      ['component:01001', { departmentKind: 'water' }],
      ['event:06', { fromLayer: 'subdistricts', as: 'squad' }],
      ['event:06005', { fromLayer: 'workstationAreas' }],
      ['event:06015', { departmentKind: 'water' }],
    ]);
    expect(rules.every((r) => r.priority === DEFAULT_RULE_PRIORITY && r.area.kind === 'everywhere')).toBe(
      true,
    );
    expect(targetOfUnitKind('department:police')).toEqual({ departmentKind: 'police' });
  });
});

describe('rule validation and description', () => {
  const spec = (r: Partial<RuleSpec>): RuleSpec => ({
    categoryKey: null,
    majorCode: null,
    area: { kind: 'everywhere' },
    lead: { fixedUnitId: 'B' },
    assisting: [],
    priority: 0,
    note: null,
    ...r,
  });
  const fieldOf = (f: () => void) => {
    try {
      f();
    } catch (e) {
      if (e instanceof DomainError) return [e.code, e.messageKey, e.details.field];
    }
    return null;
  };

  it('refuses a category and a class together, bad keys, bad targets, and priorities in the default band', () => {
    expect(fieldOf(() => assertRuleSpec(spec({})))).toBeNull();
    expect(
      fieldOf(() => assertRuleSpec(spec({ categoryKey: 'event:06001', majorCode: 'event:06' }))),
    ).toEqual(['Invalid', 'routingRuleCategoryBoth', 'majorCode']);
    expect(fieldOf(() => assertRuleSpec(spec({ categoryKey: 'event:6001' })))).toEqual([
      'Invalid',
      'routingCategoryUnknown',
      'categoryKey',
    ]);
    expect(fieldOf(() => assertRuleSpec(spec({ majorCode: 'event:6' })))).toEqual([
      'Invalid',
      'routingMajorUnknown',
      'majorCode',
    ]);
    expect(fieldOf(() => assertRuleSpec(spec({ lead: { departmentKind: 'army' as 'water' } })))).toEqual([
      'Invalid',
      'routingDepartmentKind',
      'lead',
    ]);
    expect(fieldOf(() => assertRuleSpec(spec({ assisting: [{ fromLayer: '1bad' }] })))).toEqual([
      'Invalid',
      'routingTarget',
      'assisting.0',
    ]);
    expect(fieldOf(() => assertRuleSpec(spec({ priority: -1 })))).toEqual([
      'Invalid',
      'routingPriority',
      'priority',
    ]);
    expect(fieldOf(() => assertRuleSpec(spec({ priority: 1.5 })))).toEqual([
      'Invalid',
      'routingPriority',
      'priority',
    ]);
    expect(
      fieldOf(() =>
        assertRuleSpec(spec({ priority: DEFAULT_RULE_PRIORITY }), { allowDefaultPriority: true }),
      ),
    ).toBeNull();
  });

  it('describes a rule with names', () => {
    const names = {
      unit: (id: string) => world.units.get(id)?.name,
      category: () => '私搭乱建',
      major: () => '市容环境类',
    };
    expect(
      describeRule(
        rule({
          categoryKey: 'event:06001',
          area: { kind: 'unit', unitId: 'S1' },
          lead: { fromLayer: 'subdistricts', as: 'squad' },
          assisting: [{ departmentKind: 'water' }],
          priority: 10,
          note: '汛期',
        }),
        names,
      ),
    ).toBe(
      "bureau rule: 私搭乱建 (event:06001), in name-S1 → the squad of the point's subdistricts cell, assisted by the water department; priority 10; 汛期",
    );
    expect(describeRule(rule({ majorCode: 'event:06', priority: DEFAULT_RULE_PRIORITY }), names)).toBe(
      'default rule: 市容环境类 (event:06), everywhere → name-B; priority -100',
    );
    expect(majorOf('component:01001')).toBe('component:01');
    expect(majorOf('nonsense')).toBeNull();
  });
});
