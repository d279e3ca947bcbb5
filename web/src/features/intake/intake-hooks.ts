import { useCallback, useRef } from 'react';
import { isApiError } from '../../api/client';
import { fetchSession } from '../../api/session';
import { useSession } from '../../auth/session-context';
import { useLocale } from '../../i18n/i18n';
import { useRemote } from '../registry/use-remote';
import { fetchPublicCategories, fetchStaffCategories, type WriteContext } from './intake-api';

/**
 * What intake's own write requests need: the language, and the CSRF token when a session cookie will go
 * with the request (the session's ApiClient keeps its token to itself; GET /api/me hands out the same
 * one). Asked once, when the first write happens.
 */
export function useWriteContext(): () => Promise<WriteContext> {
  const { api } = useSession();
  const { locale } = useLocale();
  const token = useRef<Promise<string | null> | null>(null);
  return useCallback(async () => {
    token.current ??= fetchSession(api).then(
      (s) => s.csrfToken,
      (e: unknown) => {
        if (isApiError(e) && e.status === 401) return null; // nobody signed in: no cookie, no token needed
        token.current = null;
        throw e;
      },
    );
    return { language: locale, csrfToken: await token.current };
  }, [api, locale]);
}

/** The active categories: the registry's list for staff, the public Open311 list for everybody else. */
export function useCategoryOptions() {
  const { session } = useSession();
  const { locale } = useLocale();
  const staff = session.status === 'signedIn' && session.user.permissions.includes('registry:read');
  const settled = session.status !== 'loading';
  return useRemote(
    (api, signal) =>
      !settled
        ? new Promise<never>(() => {})
        : staff
          ? fetchStaffCategories(api, signal)
          : fetchPublicCategories(api, locale, signal),
    [staff, settled, locale],
  );
}
