import { describe, expect, it } from 'vitest';
import {
  emptyRuleForm,
  emptyTarget,
  formOfRule,
  patchOf,
  ruleInputOf,
  type ResponsibilityRule,
  type RuleForm,
} from './routing-api';

const RULE: ResponsibilityRule = {
  id: 'r1',
  categoryKey: 'event:06001',
  majorCode: null,
  area: { kind: 'unit', unitId: 'u-xinzhuang' },
  lead: { departmentKind: 'illegalConstructionOffice' },
  assisting: [{ fromLayer: 'subdistricts', as: 'squad' }, { fixedUnitId: 'u-police' }],
  priority: 10,
  note: '莘庄镇拆违专项',
  active: true,
  version: 3,
  createdAt: '2026-11-30T00:00:00.000Z',
  updatedAt: '2026-11-30T00:00:00.000Z',
};

describe('the rule editor’s form', () => {
  it('turns a rule into its form and back unchanged', () => {
    const r = ruleInputOf(formOfRule(RULE));
    expect(r.problems).toBeUndefined();
    const { id: _id, active: _a, version: _v, createdAt: _c, updatedAt: _u, ...content } = RULE;
    expect(r.input).toEqual(content);
  });

  it('names every missing choice by the field the server would name', () => {
    const f: RuleForm = {
      ...emptyRuleForm(),
      areaKind: 'cell',
      areaCode: '  ',
      lead: { ...emptyTarget(), kind: 'fixedUnitId' },
      assisting: [{ ...emptyTarget(), kind: 'fromLayer' }],
      priority: null,
    };
    expect(ruleInputOf(f).problems).toEqual({
      categoryKey: 'required',
      'area.layer': 'required',
      'area.code': 'required',
      'lead.fixedUnitId': 'required',
      'assisting.0.fromLayer': 'required',
      priority: 'required',
    });
  });

  it('sends only the chosen kind of category, trims the note, and drops an empty one', () => {
    const f: RuleForm = {
      ...emptyRuleForm(),
      what: 'major',
      categoryKey: 'event:06001', // chosen before switching to a major class: not sent
      majorCode: 'event:06',
      lead: { ...emptyTarget(), departmentKind: 'water' },
      note: '   ',
    };
    expect(ruleInputOf(f).input).toMatchObject({
      categoryKey: null,
      majorCode: 'event:06',
      area: { kind: 'everywhere' },
      lead: { departmentKind: 'water' },
      note: null,
    });
    expect(ruleInputOf({ ...f, what: 'any' }).input).toMatchObject({ categoryKey: null, majorCode: null });
  });

  it('keeps a new rule at priority 0 or more, and lets an edited default keep -100 without sending it', () => {
    const f = {
      ...emptyRuleForm(),
      categoryKey: 'event:06001',
      lead: { ...emptyTarget(), departmentKind: 'water' },
    };
    expect(ruleInputOf({ ...f, priority: -100 }).problems).toEqual({ priority: 'priorityRange' });
    expect(ruleInputOf({ ...f, priority: 2.5 }).problems).toEqual({ priority: 'priorityRange' });
    const def = { ...RULE, priority: -100 };
    const edited = ruleInputOf({ ...formOfRule(def), note: '改过' }, { allowDefaultPriority: true });
    expect(edited.input?.priority).toBe(-100);
    expect(patchOf(def, edited.input!)).not.toHaveProperty('priority');
    expect(patchOf(def, { ...edited.input!, priority: 5 })).toMatchObject({ priority: 5 });
  });
});
