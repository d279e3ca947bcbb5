// The org units as a tree (by parentId), and the search over it. Pure.
import type { OrgUnit } from './registry-api';

export interface OrgNode {
  unit: OrgUnit;
  children: OrgNode[];
}

/** The order of siblings: the command line first (squad, workstations), then areas, then partners. */
const KIND_ORDER = [
  'bureau',
  'subdistrict',
  'squad',
  'sector',
  'workstation',
  'community',
  'department',
  'propertyCompany',
];
const kindRank = (kind: string) => {
  const i = KIND_ORDER.indexOf(kind);
  return i < 0 ? KIND_ORDER.length : i;
};

/** Builds the forest; a unit whose parent is not in the list (outside the caller's scope) becomes a root. */
export function buildOrgTree(units: readonly OrgUnit[]): OrgNode[] {
  const nodes = new Map<string, OrgNode>();
  for (const unit of units) nodes.set(unit.id, { unit, children: [] });
  const roots: OrgNode[] = [];
  for (const node of nodes.values()) {
    const parent = node.unit.parentId ? nodes.get(node.unit.parentId) : undefined;
    if (parent) parent.children.push(node);
    else roots.push(node);
  }
  const sort = (list: OrgNode[]) => {
    list.sort(
      (a, b) => kindRank(a.unit.kind) - kindRank(b.unit.kind) || a.unit.code.localeCompare(b.unit.code),
    );
    for (const n of list) sort(n.children);
  };
  sort(roots);
  return roots;
}

/** True when the unit's name, English name or code contains the text (case-insensitive). */
export function unitMatches(unit: OrgUnit, text: string): boolean {
  const q = text.trim().toLowerCase();
  if (q === '') return true;
  return (
    unit.name.toLowerCase().includes(q) ||
    (unit.nameEn ?? '').toLowerCase().includes(q) ||
    unit.code.toLowerCase().includes(q)
  );
}

/**
 * The tree cut down to the units that match and their ancestors (so a match is shown where it sits), and
 * the ids of the ancestors to expand. With an empty search, the whole tree and nothing forced open.
 */
export function filterOrgTree(
  roots: readonly OrgNode[],
  text: string,
): { roots: OrgNode[]; expand: string[]; matches: number } {
  if (text.trim() === '') return { roots: [...roots], expand: [], matches: 0 };
  const expand: string[] = [];
  let matches = 0;
  const visit = (node: OrgNode): OrgNode | null => {
    const children = node.children.map(visit).filter((n): n is OrgNode => n !== null);
    const self = unitMatches(node.unit, text);
    if (self) matches++;
    if (!self && children.length === 0) return null;
    if (children.length > 0) expand.push(node.unit.id);
    // A matching unit keeps its own units under it (collapsed) when none of them matched.
    return { unit: node.unit, children: children.length > 0 ? children : node.children };
  };
  const kept = roots.map(visit).filter((n): n is OrgNode => n !== null);
  return { roots: kept, expand, matches };
}

/** The chain of units from the root down to (and including) the given one. */
export function ancestry(units: ReadonlyMap<string, OrgUnit>, id: string): OrgUnit[] {
  const chain: OrgUnit[] = [];
  const seen = new Set<string>();
  let current = units.get(id);
  while (current && !seen.has(current.id)) {
    seen.add(current.id);
    chain.unshift(current);
    current = current.parentId ? units.get(current.parentId) : undefined;
  }
  return chain;
}
