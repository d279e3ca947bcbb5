import { MobileOutlined } from '@ant-design/icons';
import { Space, Tabs } from 'antd';
import { lazy, Suspense } from 'react';
import { Link, Navigate, Route, Routes, useLocation, useNavigate } from 'react-router-dom';
import { useT } from '../../i18n/i18n';
import { PageSpin } from '../../shell/page-spin';

const TriagePage = lazy(() => import('./triage-page'));
const ReportsPage = lazy(() => import('./reports-page'));
const ReportDetailPage = lazy(() => import('./report-detail-page'));

/** 问题受理: the triage queue, the report list and a report's detail; links to the phone pages. */
export default function IntakePage() {
  const t = useT();
  const location = useLocation();
  const navigate = useNavigate();
  const active = location.pathname.startsWith('/intake/reports') ? 'reports' : 'triage';
  return (
    <div className="og-intake" data-testid="intake-page">
      <Tabs
        activeKey={active}
        onChange={(key) => void navigate(`/intake/${key}`)}
        items={[
          { key: 'triage', label: <span data-testid="intake-tab-triage">{t('intake.nav.triage')}</span> },
          { key: 'reports', label: <span data-testid="intake-tab-reports">{t('intake.nav.reports')}</span> },
        ]}
        tabBarExtraContent={
          <Space size={16}>
            <Link to="/m/report" target="_blank">
              <MobileOutlined /> {t('intake.nav.residentPage')}
            </Link>
            <Link to="/m/patrol" target="_blank">
              <MobileOutlined /> {t('intake.nav.patrolPage')}
            </Link>
          </Space>
        }
        className="og-intake-tabs"
      />
      <Suspense fallback={<PageSpin />}>
        <Routes>
          <Route index element={<Navigate to="triage" replace />} />
          <Route path="triage" element={<TriagePage />} />
          <Route path="reports" element={<ReportsPage />} />
          <Route path="reports/:id" element={<ReportDetailPage />} />
          <Route path="*" element={<Navigate to="triage" replace />} />
        </Routes>
      </Suspense>
    </div>
  );
}
