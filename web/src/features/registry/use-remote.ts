import { useCallback, useEffect, useState, type DependencyList } from 'react';
import type { ApiClient } from '../../api/client';
import { useSession } from '../../auth/session-context';

export interface Remote<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload: () => void;
}

/**
 * Loads something from the server when the dependencies change, abandoning the previous request (so a
 * slow answer to an old filter never overwrites a newer one), with a reload for after a write.
 */
export function useRemote<T>(
  load: (api: ApiClient, signal: AbortSignal) => Promise<T>,
  deps: DependencyList,
): Remote<T> {
  const { api } = useSession();
  const [state, setState] = useState<{ data: T | undefined; error: unknown; loading: boolean }>({
    data: undefined,
    error: undefined,
    loading: true,
  });
  const [round, setRound] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    setState((s) => ({ ...s, loading: true }));
    load(api, controller.signal).then(
      (data) => {
        if (!controller.signal.aborted) setState({ data, error: undefined, loading: false });
      },
      (error: unknown) => {
        if (!controller.signal.aborted) setState({ data: undefined, error, loading: false });
      },
    );
    return () => controller.abort();
    // The caller's dependency list decides when to load again; `load` is a fresh closure on every render.
  }, [api, round, ...deps]);

  const reload = useCallback(() => setRound((n) => n + 1), []);
  return { ...state, reload };
}

/** The value, updated only after it has stopped changing for `ms` (for search boxes). */
export function useDebounced<T>(value: T, ms = 300): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}
