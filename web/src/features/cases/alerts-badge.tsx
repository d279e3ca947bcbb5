// The unread count of the alert inbox, shared by every badge on the page (the menu entry, the tab): one
// request a minute however many badges are mounted, and at once after the inbox marks an alert read.
import { SolutionOutlined } from '@ant-design/icons';
import { Badge } from 'antd';
import { useEffect, useState } from 'react';
import type { ApiClient } from '../../api/client';
import { useSession } from '../../auth/session-context';
import { fetchAlerts } from './rules-api';

const POLL_MS = 60_000;
const listeners = new Set<(n: number) => void>();
let unread = 0;
let timer: ReturnType<typeof setInterval> | null = null;
let client: ApiClient | null = null;

async function refresh(): Promise<void> {
  if (!client) return;
  try {
    const r = await fetchAlerts(client, { unread: true, limit: 1 });
    unread = r.unread;
  } catch {
    // A role without an inbox, or the server away: no badge rather than an error in the menu.
    unread = 0;
  }
  for (const l of listeners) l(unread);
}

/** Asks every badge to fetch the count again (after the inbox changed it). */
export function refreshUnreadAlerts(): void {
  void refresh();
}

/** The number of unread alerts of the signed-in user, kept current. */
export function useUnreadAlerts(): number {
  const { api, session } = useSession();
  const signedIn = session.status === 'signedIn';
  const [n, setN] = useState(unread);
  useEffect(() => {
    if (!signedIn) return undefined;
    listeners.add(setN);
    if (client !== api || timer === null) {
      client = api;
      void refresh();
      if (timer !== null) clearInterval(timer);
      timer = setInterval(() => void refresh(), POLL_MS);
    }
    return () => {
      listeners.delete(setN);
      if (listeners.size === 0 && timer !== null) {
        clearInterval(timer);
        timer = null;
      }
    };
  }, [api, signedIn]);
  return signedIn ? n : 0;
}

/**
 * The cases entry's menu icon with a dot while there are unread alerts. The menu clones its icon with its own class name:
 * the wrapper takes it, so the label keeps its spacing.
 */
export function CasesMenuIcon({ className }: { className?: string }) {
  const n = useUnreadAlerts();
  return (
    <span className={className} data-testid="nav-cases-alerts" data-unread={n}>
      {/* A dot: a count would cover the icon and the label in a 228 px menu; the inbox tab shows the number. */}
      <Badge dot={n > 0} offset={[1, 1]}>
        <SolutionOutlined style={{ fontSize: 'inherit', color: 'inherit' }} />
      </Badge>
    </span>
  );
}
