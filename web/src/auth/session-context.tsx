import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
  type ReactNode,
} from 'react';
import { ApiClient, isApiError } from '../api/client';
import {
  fetchSession,
  login as loginRequest,
  logout as logoutRequest,
  type SessionUser,
} from '../api/session';
import { useLocale } from '../i18n/i18n';

export type SessionState =
  | { status: 'loading' }
  /** noSession: nobody was signed in; expired: a request found the session gone; signedOut: the user left. */
  | { status: 'signedOut'; reason: 'noSession' | 'expired' | 'signedOut' }
  | { status: 'signedIn'; user: SessionUser }
  | { status: 'unreachable'; error: unknown };

interface SessionValue {
  api: ApiClient;
  session: SessionState;
  /** Signs in; throws ApiError with the server's localised message when refused. */
  signIn: (username: string, password: string) => Promise<void>;
  signOut: () => Promise<void>;
  reload: () => void;
}

const SessionContext = createContext<SessionValue | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const { locale } = useLocale();
  const localeRef = useRef(locale);
  localeRef.current = locale;
  const [session, setSession] = useState<SessionState>({ status: 'loading' });
  const [probe, setProbe] = useState(0);

  // One client per provider (not a module singleton), reading the language at request time.
  const [api] = useState(
    () =>
      new ApiClient({
        getLanguage: () => localeRef.current,
        onUnauthenticated: () => {
          api.setCsrfToken(null);
          setSession({ status: 'signedOut', reason: 'expired' });
        },
      }),
  );

  useEffect(() => {
    const controller = new AbortController();
    fetchSession(api, controller.signal).then(
      ({ user, csrfToken }) => {
        api.setCsrfToken(csrfToken);
        setSession({ status: 'signedIn', user });
      },
      (error: unknown) => {
        if (controller.signal.aborted) return;
        if (isApiError(error) && error.status === 401)
          setSession({ status: 'signedOut', reason: 'noSession' });
        else setSession({ status: 'unreachable', error });
      },
    );
    return () => controller.abort();
  }, [api, probe]);

  const signIn = useCallback(
    async (username: string, password: string) => {
      const { csrfToken } = await loginRequest(api, username, password);
      api.setCsrfToken(csrfToken);
      // /api/me is the one authoritative shape of the session (unit, permissions) and a fresh token.
      const me = await fetchSession(api);
      api.setCsrfToken(me.csrfToken);
      setSession({ status: 'signedIn', user: me.user });
    },
    [api],
  );

  const signOut = useCallback(async () => {
    try {
      await logoutRequest(api);
    } catch (error) {
      // An already-ended session is signed out all the same; anything else is worth showing.
      if (!(isApiError(error) && error.status === 401)) throw error;
    } finally {
      api.setCsrfToken(null);
    }
    setSession({ status: 'signedOut', reason: 'signedOut' });
  }, [api]);

  const reload = useCallback(() => {
    setSession({ status: 'loading' });
    setProbe((n) => n + 1);
  }, []);

  const value = useMemo(
    () => ({ api, session, signIn, signOut, reload }),
    [api, session, signIn, signOut, reload],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession must be used inside <SessionProvider>');
  return value;
}

/** The signed-in user; only for pages behind <RequireSession>. */
export function useCurrentUser(): SessionUser {
  const { session } = useSession();
  if (session.status !== 'signedIn') throw new Error('useCurrentUser outside a signed-in page');
  return session.user;
}
