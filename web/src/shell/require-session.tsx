import { Button, Result, Spin } from 'antd';
import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router-dom';
import { isApiError } from '../api/client';
import { useSession } from '../auth/session-context';
import { useT } from '../i18n/i18n';

/** Renders its children only for a signed-in user; otherwise sends to /login and back afterwards. */
export function RequireSession({ children }: { children: ReactNode }) {
  const { session, reload } = useSession();
  const location = useLocation();
  const t = useT();
  switch (session.status) {
    case 'loading':
      return <FullPageSpin label={t('common.loading')} />;
    case 'unreachable':
      return (
        <Result
          status="warning"
          title={
            isApiError(session.error) && session.error.fromServer
              ? session.error.message
              : t('errors.NetworkError')
          }
          extra={<Button onClick={reload}>{t('common.retry')}</Button>}
          data-testid="session-unreachable"
        />
      );
    case 'signedOut': {
      // After a deliberate sign-out the next person starts at the workbench, not at the last page.
      const next = location.pathname + location.search;
      const search =
        next === '/' || session.reason === 'signedOut' ? '' : `?next=${encodeURIComponent(next)}`;
      return <Navigate to={`/login${search}`} replace state={{ expired: session.reason === 'expired' }} />;
    }
    case 'signedIn':
      return <>{children}</>;
  }
}

export function FullPageSpin({ label }: { label: string }) {
  return (
    <div style={{ minHeight: '100vh', display: 'grid', placeItems: 'center' }} data-testid="page-loading">
      <Spin size="large" description={label} />
    </div>
  );
}
