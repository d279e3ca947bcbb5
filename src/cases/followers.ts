/**
 * Following a case (issue 4 item 6): a resident who finds the problem already reported follows the open
 * case instead of filing a duplicate, and gets a tracking code of their own. Pure.
 */
import { invalid } from '../platform/errors.js';
import { REPORTER_NAME_MAX, REPORTER_PHONE } from '../intake/reports.js';

/** Only a case in progress can be followed: a closed or ended one has nothing left to follow. */
export const FOLLOWABLE_STATUSES: readonly string[] = ['active'];

/** Name and phone as stored: trimmed, empty → null, spaces dropped from the phone; Invalid naming the field. */
export function cleanFollower(input: { name?: string | null; phone?: string | null }): {
  name: string | null;
  phone: string | null;
} {
  const name = input.name?.trim() ?? '';
  const phone = input.phone?.replace(/\s/g, '') ?? '';
  if ([...name].length > REPORTER_NAME_MAX)
    throw invalid('fieldTooLong', { field: 'name', max: REPORTER_NAME_MAX });
  if (phone !== '' && !REPORTER_PHONE.test(phone)) throw invalid('phoneInvalid', { field: 'phone', value: phone });
  return { name: name === '' ? null : name, phone: phone === '' ? null : phone };
}
