import { DomainError } from '../platform/errors.js';

export interface Refusal {
  code: string;
  key: string;
  field?: unknown;
  details?: Record<string, unknown>;
}

/**
 * How a service call was refused: the domain error's code and message key, with the detail parts asked for
 * (`field`, the whole `details`); null when the call succeeded. Any other error is rethrown.
 */
export async function refusalOf(
  p: Promise<unknown>,
  ...parts: Array<'field' | 'details'>
): Promise<Refusal | null> {
  try {
    await p;
  } catch (e) {
    if (!(e instanceof DomainError)) throw e;
    return {
      code: e.code,
      key: e.messageKey,
      ...(parts.includes('field') ? { field: e.details.field } : {}),
      ...(parts.includes('details') ? { details: e.details } : {}),
    };
  }
  return null;
}
