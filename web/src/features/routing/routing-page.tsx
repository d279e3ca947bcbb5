import { Tabs } from 'antd';
import { lazy, Suspense } from 'react';
import { Navigate, Route, Routes, useLocation, useNavigate } from 'react-router-dom';
import { useT } from '../../i18n/i18n';
import { PageSpin } from '../../shell/page-spin';
import '../intake/intake.css';

const RoutingProbe = lazy(() => import('./routing-probe'));
const RulesPage = lazy(() => import('./rules-page'));

/** 网格与责任: where a point belongs (/routing) and the responsibility rules the bureau keeps (/routing/rules). */
export default function RoutingPage() {
  const t = useT();
  const location = useLocation();
  const navigate = useNavigate();
  const active = location.pathname.startsWith('/routing/rules') ? 'rules' : 'probe';
  return (
    <div data-testid="routing-page">
      <Tabs
        activeKey={active}
        onChange={(key) => void navigate(key === 'rules' ? '/routing/rules' : '/routing')}
        items={[
          {
            key: 'probe',
            label: <span data-testid="routing-tab-probe">{t('intake.routing.tabProbe')}</span>,
          },
          {
            key: 'rules',
            label: <span data-testid="routing-tab-rules">{t('intake.routing.tabRules')}</span>,
          },
        ]}
        className="og-intake-tabs"
      />
      <Suspense fallback={<PageSpin />}>
        <Routes>
          <Route index element={<RoutingProbe />} />
          <Route path="rules" element={<RulesPage />} />
          <Route path="*" element={<Navigate to="/routing" replace />} />
        </Routes>
      </Suspense>
    </div>
  );
}
