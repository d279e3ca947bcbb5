import { describe, expect, it } from 'vitest';
import { DomainError } from '../platform/errors.js';
import { cleanFollower } from './followers.js';

const keyOf = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    if (e instanceof DomainError) return { key: e.messageKey, field: e.details.field };
    throw e;
  }
  return null;
};

describe('followers', () => {
  it('stores empty name and phone as null and refuses a malformed phone', () => {
    expect(cleanFollower({ name: ' ', phone: '138 0013 8000' })).toEqual({
      name: null,
      phone: '13800138000',
    });
    expect(keyOf(() => cleanFollower({ phone: 'call me' }))).toEqual({ key: 'phoneInvalid', field: 'phone' });
  });
});
