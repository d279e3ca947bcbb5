import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isDomainError } from '../platform/errors.js';
import {
  CREDIT_CODE_CHARSET,
  assertCommunityCode,
  assertCreditCode,
  communityKind,
  creditCodeCheckChar,
  creditCodeProblem,
  formatUnitGridCode,
  isValidCommunityCode,
  isValidCreditCode,
  isValidOrganizationCode,
  isValidSubdistrictCode,
  isValidUnitGridCode,
  organizationCodeCheckChar,
  parseUnitGridCode,
  subdistrictKind,
  townshipSegmentKind,
} from './codes.js';

const creditChar = fc.constantFrom(...CREDIT_CODE_CHARSET.split(''));
const digit = fc.constantFrom(...'0123456789'.split(''));
/** The first 17 characters of a credit code: 2 charset chars, 6 digits, 9 charset chars. */
const creditBody = fc
  .tuple(fc.array(creditChar, { minLength: 2, maxLength: 2 }), fc.array(digit, { minLength: 6, maxLength: 6 }), fc.array(creditChar, { minLength: 9, maxLength: 9 }))
  .map(([a, b, c]) => a.join('') + b.join('') + c.join(''));
const validCreditCode = creditBody.map((b) => b + creditCodeCheckChar(b));

describe('unified social credit code (GB 32100-2015)', () => {
  it('accepts real published codes', () => {
    // Alibaba (China), Tencent, Huawei, and the code most often quoted as an example.
    for (const c of ['91330100799655058B', '9144030071526726XG', '914403001922038216', '91350100M000100Y43']) {
      expect(isValidCreditCode(c)).toBe(true);
    }
  });

  it('every generated code passes', () => {
    fc.assert(fc.property(validCreditCode, (code) => isValidCreditCode(code)));
  });

  it('any change of a single character is caught', () => {
    fc.assert(
      fc.property(validCreditCode, fc.nat(17), creditChar, (code, pos, ch) => {
        fc.pre(code.charAt(pos) !== ch);
        const changed = code.slice(0, pos) + ch + code.slice(pos + 1);
        return !isValidCreditCode(changed);
      }),
    );
  });

  it('swapping two different adjacent characters is caught', () => {
    fc.assert(
      fc.property(validCreditCode, fc.nat(16), (code, pos) => {
        const a = code.charAt(pos);
        const b = code.charAt(pos + 1);
        fc.pre(a !== b);
        const swapped = code.slice(0, pos) + b + a + code.slice(pos + 2);
        return !isValidCreditCode(swapped);
      }),
    );
  });

  it('maps a checksum of 31 to 0 and names what is wrong', () => {
    // Body of all zeros: sum 0, 31 - 0 = 31 → '0'.
    expect(creditCodeCheckChar('00000000000000000')).toBe('0');
    expect(creditCodeProblem('9131011212345678')).toBe('length');
    expect(creditCodeProblem('91310112MA1FL4B2IO')).toBe('charset');
    expect(creditCodeProblem('9131A1127996550589')).toBe('divisionCode');
    expect(creditCodeProblem('91330100799655058C')).toBe('checkChar');
    expect(isValidCreditCode('91330100799655058b')).toBe(false);
  });

  it('throws an Invalid domain error naming the field', () => {
    try {
      assertCreditCode('91330100799655058C', 'propertyCompany.creditCode');
      expect.unreachable();
    } catch (e) {
      expect(isDomainError(e) && e.code === 'Invalid' && e.details['field'] === 'propertyCompany.creditCode').toBe(true);
    }
    expect(() => creditCodeCheckChar('short')).toThrow();
  });
});

describe('organisation code (GB 11714)', () => {
  it('checks the ninth character, including X and 0', () => {
    expect(isValidOrganizationCode('799655058')).toBe(true);
    expect(isValidOrganizationCode('71526726X')).toBe(true);
    expect(isValidOrganizationCode('799655059')).toBe(false);
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9A-Z]{8}$/), (body) => isValidOrganizationCode(body + organizationCodeCheckChar(body))),
    );
  });
});

describe('division codes', () => {
  it('classifies the township segment (GB/T 10114)', () => {
    expect(townshipSegmentKind('310112001')).toBe('street');
    expect(townshipSegmentKind('310112101')).toBe('town');
    expect(townshipSegmentKind('310112201')).toBe('township');
    expect(townshipSegmentKind('310112501')).toBe('enterpriseUnit');
    expect(townshipSegmentKind('310112000')).toBeNull();
    expect(townshipSegmentKind('310112600')).toBeNull();
    expect(townshipSegmentKind('310000001')).toBeNull();
    expect(subdistrictKind('310112009')).toBe('street');
    expect(subdistrictKind('310112108')).toBe('town');
    expect(subdistrictKind('310112501')).toBe('town');
    expect(() => subdistrictKind('31011200')).toThrow();
  });

  it('checks community codes and that they belong to their subdistrict', () => {
    expect(isValidCommunityCode('310112108001', '310112108')).toBe(true);
    expect(isValidCommunityCode('310112108001', '310112101')).toBe(false);
    expect(isValidCommunityCode('310112108000')).toBe(false);
    expect(communityKind('310112108202')).toBe('villagers');
    expect(communityKind('310112108001')).toBe('residents');
    expect(communityKind('310104501498')).toBe('residentsLike');
    expect(communityKind('310115401598')).toBe('villagersLike');
    expect(() => assertCommunityCode('310112108001', '310112101')).toThrow();
  });

  it('a community code built from a valid subdistrict code is valid exactly when its prefix matches', () => {
    const sub = fc.tuple(fc.integer({ min: 1, max: 599 }), fc.integer({ min: 1, max: 599 })).map(([t, v]) => ({
      sub: '310112' + String(t).padStart(3, '0'),
      community: '310112' + String(t).padStart(3, '0') + String(v).padStart(3, '0'),
    }));
    fc.assert(
      fc.property(sub, ({ sub: s, community }) => isValidSubdistrictCode(s) && isValidCommunityCode(community, s)),
    );
    fc.assert(
      fc.property(sub, fc.integer({ min: 1, max: 599 }), ({ sub: s, community }, other) => {
        const otherSub = '310112' + String(other).padStart(3, '0');
        fc.pre(otherSub !== s);
        return !isValidCommunityCode(community, otherSub);
      }),
    );
  });

  it('accepts every Minhang code of the 2023 statistical division data', () => {
    for (const c of ['310112001', '310112006', '310112008', '310112009', '310112101', '310112114', '310112501']) {
      expect(isValidSubdistrictCode(c)).toBe(true);
    }
  });
});

describe('unit-grid code (GB/T 30428.1)', () => {
  it('is 15 characters, round-trips, and continues past 999 with a letter', () => {
    expect(formatUnitGridCode('310112108001', 7)).toBe('310112108001007');
    expect(formatUnitGridCode('310112108001', 1000)).toBe('310112108001A00');
    expect(formatUnitGridCode('310112108001', 3599)).toBe('310112108001Z99');
    expect(() => formatUnitGridCode('310112108001', 0)).toThrow();
    expect(() => formatUnitGridCode('310112108001', 3600)).toThrow();
    expect(isValidUnitGridCode('310112108001000')).toBe(false);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 3599 }), (n) => {
        const code = formatUnitGridCode('310112108202', n);
        return code.length === 15 && /^[0-9A-Z]{15}$/.test(code) && parseUnitGridCode(code)?.sequence === n;
      }),
    );
  });
});
