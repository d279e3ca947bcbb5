/**
 * Parties and places of the basic database (城管进社区基础数据库): property companies (物业公司), partner
 * departments (职能部门) and their liaison persons (联络人), compounds (小区) and merchants (商户). Pure
 * rules: the records, their field checks, the change summaries of the audit log, and the CSV columns of
 * each kind. No I/O.
 */
import { creditCodeProblem } from './codes.js';

// ---------------------------------------------------------------------------------------------------------
// Records
// ---------------------------------------------------------------------------------------------------------

/** The partner departments of GLOSSARY.md (职能部门 / 联动部门). */
export const DEPARTMENT_KINDS = [
  'police', // 公安
  'greening', // 绿化市容
  'housing', // 房管
  'water', // 水务
  'planning', // 规划资源
  'market', // 市场监管
  'ecology', // 生态环境
  'illegalConstructionOffice', // 拆违办
  'data', // 数据局
  // The facility categories of GB/T 47678.5 also need these two:
  'construction', // 区建设和管理委员会: roads, bridges, street lighting, transport
  'utility', // operators of power, telecom, gas, heating and pipeline networks
] as const;
export type DepartmentKind = (typeof DEPARTMENT_KINDS)[number];
export const isDepartmentKind = (v: string): v is DepartmentKind =>
  (DEPARTMENT_KINDS as readonly string[]).includes(v);

/** The kinds of record that CSV import and export know, as they appear in URLs and on the command line. */
export const PARTY_KINDS = ['compounds', 'property-companies', 'merchants', 'departments'] as const;
export type PartyKind = (typeof PARTY_KINDS)[number];
export const isPartyKind = (v: string): v is PartyKind => (PARTY_KINDS as readonly string[]).includes(v);

/** A point in WGS-84 (the CRS of every stored geometry). */
export interface Location {
  lng: number;
  lat: number;
}

/** Another record, as a record that refers to it shows it. */
export interface UnitRef {
  id: string;
  code: string;
  name: string;
}

interface Versioned {
  id: string;
  active: boolean;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface PropertyCompany extends Versioned {
  /** The org unit of kind propertyCompany that the company's users belong to. */
  unitId: string;
  /** Where that unit sits: the bureau or a subdistrict. */
  parentUnit: UnitRef;
  name: string;
  creditCode: string;
  address: string | null;
  contactName: string | null;
  contactPhone: string | null;
}

export interface Department extends Versioned {
  /** The org unit of kind department, under the bureau. */
  unitId: string;
  /** The org unit's code, e.g. 310112-CWB. */
  code: string;
  kind: DepartmentKind;
  name: string;
  nameEn: string | null;
}

export interface Liaison extends Versioned {
  departmentId: string;
  name: string;
  title: string | null;
  phone: string | null;
  /** The user account of the liaison person, when it has one. */
  userId: string | null;
}

export interface Compound extends Versioned {
  code: string;
  name: string;
  address: string | null;
  location: Location | null;
  community: UnitRef;
  propertyCompany: { id: string; name: string; creditCode: string } | null;
  /** The owners' committee (业委会), by name. */
  ownersCommittee: string | null;
}

export interface Merchant extends Versioned {
  name: string;
  address: string | null;
  location: Location | null;
  subdistrict: UnitRef;
  business: string | null;
}

// ---------------------------------------------------------------------------------------------------------
// Field checks
// ---------------------------------------------------------------------------------------------------------

/** One thing wrong with one field: the field, a message key of parties.messages.ts, and why. */
export interface FieldProblem {
  field: string;
  key: string;
  reason: string;
  value?: string;
}

const problem = (field: string, key: string, reason: string, value?: unknown): FieldProblem =>
  value === undefined || value === null
    ? { field, key, reason }
    : { field, key, reason, value: String(value) };

export const NAME_MAX = 200;
export const TEXT_MAX = 500;

/**
 * The service area's box, WGS-84, with a margin: 上海市 spans about 120.86–122.12 E, 30.68–31.87 N
 * (including 崇明). A point outside it is a typo, swapped coordinates or a point of another city.
 */
export const SERVICE_AREA_BBOX = { minLng: 120.8, minLat: 30.6, maxLng: 122.3, maxLat: 31.95 } as const;

/** Record codes (compound and department codes): letters, digits and - _ . , at most 40. */
const RECORD_CODE = /^[0-9A-Za-z][0-9A-Za-z_.-]{0,39}$/;
/** Mobile or landline, optionally with a + and dashes: 13812345678, 021-64123456, +8613812345678. */
const PHONE = /^\+?[0-9][0-9-]{4,19}$/;

function textProblems(
  field: string,
  v: string | null | undefined,
  o: { required?: boolean; max?: number } = {},
): FieldProblem[] {
  if (v === null || v === undefined || v.trim() === '')
    return o.required ? [problem(field, 'fieldRequired', 'required')] : [];
  const max = o.max ?? TEXT_MAX;
  return [...v].length > max ? [problem(field, 'fieldTooLong', 'tooLong', max)] : [];
}

const codeProblems = (field: string, v: string | null | undefined): FieldProblem[] =>
  v === null || v === undefined || v === ''
    ? [problem(field, 'fieldRequired', 'required')]
    : RECORD_CODE.test(v)
      ? []
      : [problem(field, 'fieldFormat', 'format', v)];

const phoneProblems = (field: string, v: string | null | undefined): FieldProblem[] =>
  v === null || v === undefined || v === '' || PHONE.test(v)
    ? []
    : [problem(field, 'phoneInvalid', 'format', v)];

/** Why a WGS-84 point is not acceptable (not finite, out of range, outside the service area), or null. */
export function coordinateProblem(
  lng: number,
  lat: number,
): 'notANumber' | 'lngRange' | 'latRange' | 'outsideServiceArea' | null {
  if (!Number.isFinite(lng) || !Number.isFinite(lat)) return 'notANumber';
  if (lng < -180 || lng > 180) return 'lngRange';
  if (lat < -90 || lat > 90) return 'latRange';
  const b = SERVICE_AREA_BBOX;
  return lng < b.minLng || lng > b.maxLng || lat < b.minLat || lat > b.maxLat ? 'outsideServiceArea' : null;
}

function locationProblems(location: Location | null | undefined): FieldProblem[] {
  if (!location) return [];
  const reason = coordinateProblem(location.lng, location.lat);
  if (reason === null) return [];
  const field = reason === 'latRange' ? 'lat' : 'lng';
  return [problem(field, 'coordinatesInvalid', reason, `${location.lng},${location.lat}`)];
}

export interface PropertyCompanyFields {
  name: string;
  creditCode: string;
  address?: string | null;
  contactName?: string | null;
  contactPhone?: string | null;
}

/** Every problem of a property company's fields; the credit code is checked with its check character. */
export function checkPropertyCompany(f: PropertyCompanyFields): FieldProblem[] {
  const credit = creditCodeProblem(f.creditCode);
  return [
    ...textProblems('name', f.name, { required: true, max: NAME_MAX }),
    ...(f.creditCode === ''
      ? [problem('creditCode', 'fieldRequired', 'required')]
      : credit
        ? [problem('creditCode', 'creditCodeInvalid', credit, f.creditCode)]
        : []),
    ...textProblems('address', f.address),
    ...textProblems('contactName', f.contactName, { max: 100 }),
    ...phoneProblems('contactPhone', f.contactPhone),
  ];
}

export interface DepartmentFields {
  code: string;
  kind: string;
  name: string;
  nameEn?: string | null;
}

export function checkDepartment(f: DepartmentFields): FieldProblem[] {
  return [
    ...codeProblems('code', f.code),
    ...(f.kind === ''
      ? [problem('kind', 'fieldRequired', 'required')]
      : isDepartmentKind(f.kind)
        ? []
        : [problem('kind', 'departmentKindUnknown', 'unknown', f.kind)]),
    ...textProblems('name', f.name, { required: true, max: NAME_MAX }),
    ...textProblems('nameEn', f.nameEn, { max: NAME_MAX }),
  ];
}

export interface LiaisonFields {
  name: string;
  title?: string | null;
  phone?: string | null;
}

export function checkLiaison(f: LiaisonFields): FieldProblem[] {
  return [
    ...textProblems('name', f.name, { required: true, max: 100 }),
    ...textProblems('title', f.title, { max: 100 }),
    ...phoneProblems('phone', f.phone),
  ];
}

export interface CompoundFields {
  code: string;
  name: string;
  address?: string | null;
  location?: Location | null;
  ownersCommittee?: string | null;
}

export function checkCompound(f: CompoundFields): FieldProblem[] {
  return [
    ...codeProblems('code', f.code),
    ...textProblems('name', f.name, { required: true, max: NAME_MAX }),
    ...textProblems('address', f.address),
    ...locationProblems(f.location),
    ...textProblems('ownersCommittee', f.ownersCommittee, { max: NAME_MAX }),
  ];
}

export interface MerchantFields {
  name: string;
  address?: string | null;
  location?: Location | null;
  business?: string | null;
}

export function checkMerchant(f: MerchantFields): FieldProblem[] {
  return [
    ...textProblems('name', f.name, { required: true, max: NAME_MAX }),
    ...textProblems('address', f.address),
    ...locationProblems(f.location),
    ...textProblems('business', f.business, { max: NAME_MAX }),
  ];
}

/** Trims text; an empty optional text becomes null. */
export const cleanText = (v: string | null | undefined): string | null => {
  const t = v?.trim();
  return t ? t : null;
};

/** Credit codes are written in upper case (GB 32100-2015 uses no lower-case letters). */
export const cleanCreditCode = (v: string): string => v.trim().toUpperCase();

// ---------------------------------------------------------------------------------------------------------
// Audit summaries
// ---------------------------------------------------------------------------------------------------------

/** The fields that changed between two flat records, as the before/after of an audit entry. */
export function changedFields(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
): { before: Record<string, unknown>; after: Record<string, unknown> } {
  const b: Record<string, unknown> = {};
  const a: Record<string, unknown> = {};
  for (const k of Object.keys(after)) {
    if (JSON.stringify(before[k] ?? null) !== JSON.stringify(after[k] ?? null)) {
      b[k] = before[k] ?? null;
      a[k] = after[k] ?? null;
    }
  }
  return { before: b, after: a };
}

// ---------------------------------------------------------------------------------------------------------
// CSV columns
// ---------------------------------------------------------------------------------------------------------

/** The columns of each kind's CSV, in export order; references are by code so files move between databases. */
export const CSV_COLUMNS: Record<PartyKind, readonly string[]> = {
  'property-companies': [
    'creditCode',
    'name',
    'address',
    'contactName',
    'contactPhone',
    'subdistrictCode',
    'active',
  ],
  departments: ['code', 'kind', 'name', 'nameEn', 'active'],
  compounds: [
    'code',
    'name',
    'address',
    'lng',
    'lat',
    'communityCode',
    'propertyCompanyCreditCode',
    'ownersCommittee',
    'active',
  ],
  merchants: ['name', 'address', 'lng', 'lat', 'subdistrictCode', 'business', 'active'],
};

/** Columns a file must have; the others may be left out. */
export const CSV_REQUIRED_COLUMNS: Record<PartyKind, readonly string[]> = {
  'property-companies': ['creditCode', 'name'],
  departments: ['code', 'kind', 'name'],
  compounds: ['code', 'name', 'communityCode'],
  merchants: ['name', 'subdistrictCode'],
};

/** A yes/no cell: empty means yes (a new record is active). */
export function parseActiveCell(v: string): boolean | null {
  const t = v.trim().toLowerCase();
  if (t === '' || t === 'true' || t === '1' || t === 'yes' || t === '是') return true;
  if (t === 'false' || t === '0' || t === 'no' || t === '否') return false;
  return null;
}

/** A location from two cells: both empty is no location; one empty, or not numbers, is a problem. */
export function parseLocationCells(
  lng: string,
  lat: string,
): { location: Location | null; problems: FieldProblem[] } {
  const [x, y] = [lng.trim(), lat.trim()];
  if (x === '' && y === '') return { location: null, problems: [] };
  const problems: FieldProblem[] = [];
  const num = (field: string, s: string): number => {
    if (s === '') problems.push(problem(field, 'coordinatesInvalid', 'missingPair'));
    else if (!/^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(s))
      problems.push(problem(field, 'coordinatesInvalid', 'notANumber', s));
    return Number(s);
  };
  const location = { lng: num('lng', x), lat: num('lat', y) };
  return problems.length > 0
    ? { location: null, problems }
    : { location, problems: locationProblems(location) };
}
