/** Org units: the tree bureau › subdistrict › squad / workstation / sector › community. Pure rules. */
export const ORG_UNIT_KINDS = [
  'bureau',
  'subdistrict',
  'squad',
  'workstation',
  'sector',
  'community',
  'department',
  'propertyCompany',
] as const;
export type OrgUnitKind = (typeof ORG_UNIT_KINDS)[number];

export interface OrgUnit {
  id: string;
  parentId: string | null;
  kind: OrgUnitKind;
  code: string;
  name: string;
  nameEn: string | null;
  path: string;
  active: boolean;
  version: number;
}

/** Which kinds may sit under which: the tree of GLOSSARY.md. */
const ALLOWED_PARENTS: Record<OrgUnitKind, readonly (OrgUnitKind | null)[]> = {
  bureau: [null],
  subdistrict: ['bureau'],
  squad: ['subdistrict'],
  workstation: ['subdistrict', 'sector'],
  sector: ['subdistrict'],
  community: ['subdistrict', 'workstation', 'sector'],
  department: ['bureau'],
  propertyCompany: ['bureau', 'subdistrict'],
};

/** True when a unit of this kind may be placed under a parent of that kind (null: at the top). */
export const mayBeUnder = (kind: OrgUnitKind, parentKind: OrgUnitKind | null): boolean =>
  ALLOWED_PARENTS[kind].includes(parentKind);

/** The materialised path of a unit: its ancestors' ids and its own, slash-separated, ending in '/'. */
export const childPath = (parentPath: string | null, id: string): string => `${parentPath ?? '/'}${id}/`;

export const isOrgUnitKind = (v: string): v is OrgUnitKind => (ORG_UNIT_KINDS as readonly string[]).includes(v);
