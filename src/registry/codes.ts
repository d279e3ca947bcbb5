/**
 * Registry codes: the unified social credit code (统一社会信用代码, GB 32100-2015), the organisation code
 * inside it (组织机构代码, GB 11714-1997), the statistical division codes of subdistricts (9 digits) and
 * communities (12 digits) (GB/T 2260 + GB/T 10114 + 国家统计局 统计用区划代码), and the 15-character unit-grid
 * code (GB/T 30428.1). Pure: no I/O.
 */
import { invalid } from '../platform/errors.js';

// ---------------------------------------------------------------------------------------------------------
// Unified social credit code (GB 32100-2015)
// ---------------------------------------------------------------------------------------------------------

/** The 31 characters a credit code may use, in value order (GB 32100-2015 表1: no I, O, S, V, Z). */
export const CREDIT_CODE_CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

/** Weights of positions 1–17 (GB 32100-2015 §5: 3^(i-1) mod 31). */
export const CREDIT_CODE_WEIGHTS: readonly number[] = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

const CREDIT_BODY = /^[0-9A-HJ-NPQRTUWXY]{17}$/;
const CREDIT_FULL = /^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/;

/** The check character (position 18) of a credit code from its first 17 characters. */
export function creditCodeCheckChar(first17: string): string {
  if (!CREDIT_BODY.test(first17)) {
    throw invalid('creditCodeInvalid', { field: 'creditCode', reason: 'bodyCharset', value: first17 });
  }
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += CREDIT_CODE_CHARSET.indexOf(first17.charAt(i)) * (CREDIT_CODE_WEIGHTS[i] ?? 0);
  // C18 = 31 - (Σ Ci·Wi mod 31); a result of 31 is written as 0.
  const value = (31 - (sum % 31)) % 31;
  return CREDIT_CODE_CHARSET.charAt(value);
}

export type CreditCodeProblem = 'length' | 'charset' | 'divisionCode' | 'checkChar';

/** Why a credit code is not valid, or null when it is (length, charset, 6-digit division code, check char). */
export function creditCodeProblem(code: string): CreditCodeProblem | null {
  if (code.length !== 18) return 'length';
  if (!/^[0-9A-HJ-NPQRTUWXY]{18}$/.test(code)) return 'charset';
  // Positions 3–8 are the registering authority's division code (GB/T 2260): always digits.
  if (!CREDIT_FULL.test(code)) return 'divisionCode';
  return creditCodeCheckChar(code.slice(0, 17)) === code.charAt(17) ? null : 'checkChar';
}

/** True when the code is a well-formed 18-character unified social credit code with a correct check char. */
export function isValidCreditCode(code: string): boolean {
  return creditCodeProblem(code) === null;
}

/** Throws an `Invalid` domain error naming the field when the credit code is not valid. */
export function assertCreditCode(code: string, field = 'creditCode'): void {
  const reason = creditCodeProblem(code);
  if (reason !== null) throw invalid('creditCodeInvalid', { field, reason, value: code });
}

// ---------------------------------------------------------------------------------------------------------
// Organisation code (GB 11714-1997), positions 9–17 of a credit code
// ---------------------------------------------------------------------------------------------------------

const ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2];

/** Check character of a GB 11714 organisation code from its first 8 characters (digits or A–Z). */
export function organizationCodeCheckChar(first8: string): string {
  if (!/^[0-9A-Z]{8}$/.test(first8)) {
    throw invalid('organizationCodeInvalid', { field: 'organizationCode', reason: 'bodyCharset', value: first8 });
  }
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += parseInt(first8.charAt(i), 36) * (ORG_WEIGHTS[i] ?? 0);
  // C9 = 11 - (Σ mod 11); 10 is written X, 11 is written 0.
  const c = 11 - (sum % 11);
  return c === 10 ? 'X' : c === 11 ? '0' : String(c);
}

/** True when the 9-character organisation code's last character is its GB 11714 check character. */
export function isValidOrganizationCode(code: string): boolean {
  return /^[0-9A-Z]{8}[0-9X]$/.test(code) && organizationCodeCheckChar(code.slice(0, 8)) === code.charAt(8);
}

// ---------------------------------------------------------------------------------------------------------
// Division codes: subdistricts (街道/镇, 9 digits) and communities (居委/村委, 12 digits)
// ---------------------------------------------------------------------------------------------------------

/**
 * The kind of a township-level unit from its 3-digit segment (GB/T 10114): 001–099 街道, 100–199 镇,
 * 200–399 乡, 400–599 政企合一等类似乡级单位 (farms, development and industrial zones).
 */
export type TownshipSegmentKind = 'street' | 'town' | 'township' | 'enterpriseUnit';

/** The two kinds of subdistrict the system knows (glossary: 街道 `street`, 镇 `town`). */
export type SubdistrictKind = 'street' | 'town';

/**
 * The kind of a community from its 3-digit segment (国家统计局 统计用区划代码编制规则): 001–199 居委会,
 * 200–399 村委会, 400–499 类似居委会, 500–599 类似村委会 (e.g. "虚拟社区" of development zones).
 */
export type CommunityKind = 'residents' | 'villagers' | 'residentsLike' | 'villagersLike';

const COUNTY = /^[1-8]\d(?!0000)\d{4}$/;

/** True for a 6-digit county-level division code (GB/T 2260): province 11–82, not a province's own code. */
export function isValidCountyCode(code: string): boolean {
  return COUNTY.test(code);
}

function segment(code: string, from: number): number {
  return Number(code.slice(from, from + 3));
}

/** The township segment kind of a 9-digit subdistrict code, or null when the code is malformed. */
export function townshipSegmentKind(code: string): TownshipSegmentKind | null {
  if (!/^\d{9}$/.test(code) || !isValidCountyCode(code.slice(0, 6))) return null;
  const s = segment(code, 6);
  if (s >= 1 && s <= 99) return 'street';
  if (s >= 100 && s <= 199) return 'town';
  if (s >= 200 && s <= 399) return 'township';
  if (s >= 400 && s <= 599) return 'enterpriseUnit';
  return null;
}

/** True for a 9-digit subdistrict statistical code: valid county code and a township segment 001–599. */
export function isValidSubdistrictCode(code: string): boolean {
  return townshipSegmentKind(code) !== null;
}

/**
 * Street or town, from the code: 001–099 is a 街道 (street); 镇, 乡 and the 政企合一 units (e.g. 莘庄工业区,
 * which has its own 居委 and is served like a town) are `town`. Throws `Invalid` on a malformed code.
 */
export function subdistrictKind(code: string): SubdistrictKind {
  const k = townshipSegmentKind(code);
  if (k === null) throw invalid('subdistrictCodeInvalid', { field: 'subdistrictCode', value: code });
  return k === 'street' ? 'street' : 'town';
}

/** Throws an `Invalid` domain error naming the field when the subdistrict code is not valid. */
export function assertSubdistrictCode(code: string, field = 'subdistrictCode'): void {
  if (!isValidSubdistrictCode(code)) throw invalid('subdistrictCodeInvalid', { field, value: code });
}

/** The community kind of a 12-digit community code, or null when the code is malformed. */
export function communityKind(code: string): CommunityKind | null {
  if (!/^\d{12}$/.test(code) || !isValidSubdistrictCode(code.slice(0, 9))) return null;
  const s = segment(code, 9);
  if (s >= 1 && s <= 199) return 'residents';
  if (s >= 200 && s <= 399) return 'villagers';
  if (s >= 400 && s <= 499) return 'residentsLike';
  if (s >= 500 && s <= 599) return 'villagersLike';
  return null;
}

/**
 * True for a 12-digit community code (6 county + 3 township + 3 village); when `subdistrictCode` is given
 * the community code must also start with it.
 */
export function isValidCommunityCode(code: string, subdistrictCode?: string): boolean {
  if (communityKind(code) === null) return false;
  return subdistrictCode === undefined || code.slice(0, 9) === subdistrictCode;
}

/** Throws an `Invalid` domain error when the community code is malformed or not inside the subdistrict. */
export function assertCommunityCode(code: string, subdistrictCode?: string, field = 'communityCode'): void {
  if (communityKind(code) === null) throw invalid('communityCodeInvalid', { field, value: code });
  if (subdistrictCode !== undefined && code.slice(0, 9) !== subdistrictCode) {
    throw invalid('communityNotInSubdistrict', { field, value: code, subdistrictCode });
  }
}

// ---------------------------------------------------------------------------------------------------------
// Unit-grid code (GB/T 30428.1 单元网格标识码, 15 characters)
// ---------------------------------------------------------------------------------------------------------

/** Largest sequence number a unit-grid code can carry: 001–999 decimal, then A00–Z99 (1000–3599). */
export const UNIT_GRID_MAX_SEQUENCE = 3599;

const UNIT_GRID = /^\d{12}(?:\d{3}|[A-Z]\d{2})$/;

/**
 * The unit-grid code of the `sequence`-th cell of a community: 12-digit community code + 3-character
 * sequence (GB/T 30428.1: 6 county + 3 township + 3 community + 3 sequence). Sequences above 999 (a
 * community larger than ~10 km²) continue as a letter and two digits (A00 = 1000), which the
 * `^[0-9A-Z]{15}$` pattern of implementations of GB/T 47678 still accepts.
 */
export function formatUnitGridCode(communityCode: string, sequence: number): string {
  assertCommunityCode(communityCode);
  if (!Number.isInteger(sequence) || sequence < 1 || sequence > UNIT_GRID_MAX_SEQUENCE) {
    throw invalid('unitGridSequenceInvalid', { field: 'sequence', value: sequence });
  }
  if (sequence <= 999) return communityCode + String(sequence).padStart(3, '0');
  const over = sequence - 1000;
  return communityCode + String.fromCharCode(65 + Math.floor(over / 100)) + String(over % 100).padStart(2, '0');
}

/** Parses a unit-grid code into its community code and sequence number, or null when malformed. */
export function parseUnitGridCode(code: string): { communityCode: string; sequence: number } | null {
  if (!UNIT_GRID.test(code)) return null;
  const communityCode = code.slice(0, 12);
  if (communityKind(communityCode) === null) return null;
  const seq = code.slice(12);
  const first = seq.charCodeAt(0);
  const sequence = first >= 65 ? 1000 + (first - 65) * 100 + Number(seq.slice(1)) : Number(seq);
  return sequence >= 1 ? { communityCode, sequence } : null;
}

/** True for a well-formed 15-character unit-grid code. */
export function isValidUnitGridCode(code: string): boolean {
  return parseUnitGridCode(code) !== null;
}
