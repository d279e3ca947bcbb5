// The frame of the case pages that live beside the list and the map (time limits, calendar, alerts, the
// satisfaction rate): the same tab bar as cases-page.tsx, with these pages added, and small helpers they
// share.
import { MobileOutlined } from '@ant-design/icons';
import { Badge, Tabs } from 'antd';
import type { ReactNode } from 'react';
import { Link, useLocation, useNavigate } from 'react-router-dom';
import { useSession } from '../../auth/session-context';
import { useUnreadAlerts } from './alerts-badge';
import { useCasesT, type CasesKey, type CasesT } from './cases-i18n';
import './cases.css';
import './case-rules.css';

const TABS = ['list', 'map', 'time-limits', 'calendar', 'alerts', 'satisfaction'] as const;

/** A label of a group the case pages' t.label does not cover (limit steps, origins, alert kinds). */
export function labelOf(t: CasesT, group: string, id: string | null | undefined): string {
  if (!id) return '—';
  const key = `${group}.${id}`;
  const text = t(key as CasesKey);
  return text === key ? id : text;
}

/** Whether the signed-in user holds a permission (the server checks again on every write). */
export function useCan(permission: string): boolean {
  const { session } = useSession();
  return session.status === 'signedIn' && session.user.permissions.includes(permission);
}

export function CaseRulesFrame({ children }: { children: ReactNode }) {
  const t = useCasesT();
  const location = useLocation();
  const navigate = useNavigate();
  const unread = useUnreadAlerts();
  const canReadRates = useCan('insight:read');
  const active = TABS.find((k) => location.pathname.startsWith(`/cases/${k}`)) ?? '';
  const labels: Record<(typeof TABS)[number], ReactNode> = {
    list: t('nav.list'),
    map: t('nav.map'),
    'time-limits': t('nav.timeLimits'),
    calendar: t('nav.calendar'),
    alerts: (
      <Badge count={unread} size="small" offset={[8, -2]} data-testid="cases-tab-alerts-badge">
        {t('nav.alerts')}
      </Badge>
    ),
    satisfaction: t('nav.satisfaction'),
  };
  // The rate needs insight:read (staff roles); an officer without it does not see the tab.
  const tabs = TABS.filter((k) => k !== 'satisfaction' || canReadRates);
  return (
    <div className="og-cases" data-testid="cases-page">
      <Tabs
        activeKey={active}
        onChange={(key) => void navigate(`/cases/${key}`)}
        className="og-cases-tabs"
        items={tabs.map((k) => ({ key: k, label: <span data-testid={`cases-tab-${k}`}>{labels[k]}</span> }))}
        tabBarExtraContent={
          <Link to="/m/tasks" target="_blank">
            <MobileOutlined /> {t('nav.tasksPage')}
          </Link>
        }
      />
      {children}
    </div>
  );
}
