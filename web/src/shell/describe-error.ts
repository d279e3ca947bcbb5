import { isApiError } from '../api/client';
import type { Translate } from '../i18n/i18n';

/**
 * The text to show for a failed request: the server's own message (already in the language the request
 * asked for) when there is one, else the console's wording for the code. Never decided by message text.
 */
export function describeError(t: Translate, error: unknown): string {
  if (isApiError(error)) {
    if (error.fromServer) return error.message;
    return t.optional(`errors.${error.code}`) ?? t('errors.unknown');
  }
  return t('errors.unknown');
}
