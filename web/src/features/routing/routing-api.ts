// The responsibility rules over HTTP as the console reads and writes them (src/routing/routing.routes.ts),
// and the conversion between a rule and the editor's form, kept pure so it can be tested without a browser.
import type { ApiClient } from '../../api/client';

/** Who a rule names: one unit, the unit of the point's cell in a layer (or that subdistrict's squad), or a department. */
export type Target =
  { fixedUnitId: string } | { fromLayer: string; as?: 'squad' } | { departmentKind: string };

/** Where a rule holds: everywhere, in a unit's area, or in one cell of a layer. */
export type RuleArea =
  { kind: 'everywhere' } | { kind: 'unit'; unitId: string } | { kind: 'cell'; layer: string; code: string };

export interface ResponsibilityRule {
  id: string;
  categoryKey: string | null;
  majorCode: string | null;
  area: RuleArea;
  lead: Target;
  assisting: Target[];
  priority: number;
  note: string | null;
  active: boolean;
  version: number;
  createdAt: string;
  updatedAt: string;
}

/** What a rule says, as POST /api/routing/rules takes it. */
export interface RuleInput {
  categoryKey: string | null;
  majorCode: string | null;
  area: RuleArea;
  lead: Target;
  assisting: Target[];
  priority: number;
  note: string | null;
}

/** The generated defaults sit at this priority (src/routing/routing.ts DEFAULT_RULE_PRIORITY); the bureau's rules at 0 or more. */
export const DEFAULT_RULE_PRIORITY = -100;
export const MIN_PRIORITY = 0;
export const MAX_PRIORITY = 1_000_000;

export const fetchRules = (api: ApiClient, includeInactive: boolean, signal?: AbortSignal) =>
  api
    .get<{ items: ResponsibilityRule[] }>('/api/routing/rules', {
      query: { includeInactive: includeInactive ? 'true' : undefined },
      signal,
    })
    .then((r) => r.items);

export const createRule = (api: ApiClient, body: RuleInput) =>
  api.post<ResponsibilityRule>('/api/routing/rules', body);

/** PATCH with the version the editor read: a rule changed by someone else in between is a 409. */
export const updateRule = (
  api: ApiClient,
  id: string,
  version: number,
  patch: Partial<RuleInput> & { active?: boolean },
) => api.patch<ResponsibilityRule>(`/api/routing/rules/${encodeURIComponent(id)}`, { ...patch, version });

// ---------------------------------------------------------------------------------------------------------
// The editor's form
// ---------------------------------------------------------------------------------------------------------

export type WhatKind = 'category' | 'major' | 'any';
export type TargetKind = 'fixedUnitId' | 'fromLayer' | 'departmentKind';

export interface TargetForm {
  kind: TargetKind;
  unitId: string | null;
  layer: string | null;
  asSquad: boolean;
  departmentKind: string | null;
}

export interface RuleForm {
  what: WhatKind;
  categoryKey: string | null;
  majorCode: string | null;
  areaKind: RuleArea['kind'];
  areaUnitId: string | null;
  areaLayer: string | null;
  areaCode: string;
  lead: TargetForm;
  assisting: TargetForm[];
  priority: number | null;
  note: string;
}

export const emptyTarget = (): TargetForm => ({
  kind: 'departmentKind',
  unitId: null,
  layer: null,
  asSquad: false,
  departmentKind: null,
});

/** A new rule's form: any category, everywhere, priority 10 (above every default). */
export const emptyRuleForm = (): RuleForm => ({
  what: 'category',
  categoryKey: null,
  majorCode: null,
  areaKind: 'everywhere',
  areaUnitId: null,
  areaLayer: null,
  areaCode: '',
  lead: emptyTarget(),
  assisting: [],
  priority: 10,
  note: '',
});

const targetForm = (t: Target): TargetForm =>
  'fixedUnitId' in t
    ? { ...emptyTarget(), kind: 'fixedUnitId', unitId: t.fixedUnitId }
    : 'fromLayer' in t
      ? { ...emptyTarget(), kind: 'fromLayer', layer: t.fromLayer, asSquad: t.as === 'squad' }
      : { ...emptyTarget(), kind: 'departmentKind', departmentKind: t.departmentKind };

/** The form of an existing rule. */
export function formOfRule(r: ResponsibilityRule): RuleForm {
  return {
    what: r.categoryKey ? 'category' : r.majorCode ? 'major' : 'any',
    categoryKey: r.categoryKey,
    majorCode: r.majorCode,
    areaKind: r.area.kind,
    areaUnitId: r.area.kind === 'unit' ? r.area.unitId : null,
    areaLayer: r.area.kind === 'cell' ? r.area.layer : null,
    areaCode: r.area.kind === 'cell' ? r.area.code : '',
    lead: targetForm(r.lead),
    assisting: r.assisting.map(targetForm),
    priority: r.priority,
    note: r.note ?? '',
  };
}

/** The form fields the browser refuses before asking the server, by the field names the server uses. */
export type FormProblems = Partial<Record<string, 'required' | 'priorityRange'>>;

function targetOf(f: TargetForm, field: string, problems: FormProblems): Target | null {
  if (f.kind === 'fixedUnitId') {
    if (!f.unitId) problems[`${field}.fixedUnitId`] = 'required';
    return f.unitId ? { fixedUnitId: f.unitId } : null;
  }
  if (f.kind === 'fromLayer') {
    if (!f.layer) problems[`${field}.fromLayer`] = 'required';
    return f.layer ? { fromLayer: f.layer, ...(f.asSquad ? { as: 'squad' as const } : {}) } : null;
  }
  if (!f.departmentKind) problems[`${field}.departmentKind`] = 'required';
  return f.departmentKind ? { departmentKind: f.departmentKind } : null;
}

/**
 * The rule a form says, or the fields still missing. `allowDefaultPriority`: an edited default rule may
 * keep its priority below zero; a new rule starts at 0 or more, as the server requires.
 */
export function ruleInputOf(
  f: RuleForm,
  opts: { allowDefaultPriority?: boolean } = {},
): { input: RuleInput; problems?: undefined } | { input?: undefined; problems: FormProblems } {
  const problems: FormProblems = {};
  if (f.what === 'category' && !f.categoryKey) problems.categoryKey = 'required';
  if (f.what === 'major' && !f.majorCode) problems.majorCode = 'required';
  let area: RuleArea | null = { kind: 'everywhere' };
  if (f.areaKind === 'unit') {
    if (!f.areaUnitId) problems['area.unitId'] = 'required';
    area = f.areaUnitId ? { kind: 'unit', unitId: f.areaUnitId } : null;
  } else if (f.areaKind === 'cell') {
    const code = f.areaCode.trim();
    if (!f.areaLayer) problems['area.layer'] = 'required';
    if (!code) problems['area.code'] = 'required';
    area = f.areaLayer && code ? { kind: 'cell', layer: f.areaLayer, code } : null;
  }
  const lead = targetOf(f.lead, 'lead', problems);
  const assisting = f.assisting.map((a, i) => targetOf(a, `assisting.${i}`, problems));
  const min = opts.allowDefaultPriority ? DEFAULT_RULE_PRIORITY : MIN_PRIORITY;
  if (f.priority === null) problems.priority = 'required';
  else if (!Number.isInteger(f.priority) || f.priority < min || f.priority > MAX_PRIORITY)
    problems.priority = 'priorityRange';
  if (Object.keys(problems).length > 0 || !area || !lead || f.priority === null) return { problems };
  return {
    input: {
      categoryKey: f.what === 'category' ? f.categoryKey : null,
      majorCode: f.what === 'major' ? f.majorCode : null,
      area,
      lead,
      assisting: assisting.filter((a): a is Target => a !== null),
      priority: f.priority,
      note: f.note.trim() || null,
    },
  };
}

/**
 * The PATCH of an edit: everything the form says, except a priority left as it was (so a default rule
 * keeps its default priority, which the server accepts only when the patch does not name one).
 */
export function patchOf(before: ResponsibilityRule, input: RuleInput): Partial<RuleInput> {
  const { priority, ...rest } = input;
  return priority === before.priority ? rest : input;
}
