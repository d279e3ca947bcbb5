import { Tabs } from 'antd';
import { lazy, Suspense } from 'react';
import { Navigate, Route, Routes, useLocation, useNavigate } from 'react-router-dom';
import { PageSpin } from '../../shell/page-spin';
import { useMatchingT } from './matching-i18n';
import './matching.css';

const SitesMap = lazy(() => import('./sites-map'));
const CompaniesPage = lazy(() => import('./companies-page'));
const SiteDetailPage = lazy(() => import('./site-detail'));
const CoverageMap = lazy(() => import('./coverage-map'));

const TABS = ['sites', 'companies', 'coverage'] as const;

/** 双报告与比对: sites by first finder, property companies' discovery figures, a site's links, patrol coverage. */
export default function MatchingPage() {
  const t = useMatchingT();
  const location = useLocation();
  const navigate = useNavigate();
  const tab = TABS.find((k) => location.pathname.startsWith(`/matching/${k}`)) ?? 'sites';
  const inDetail = /^\/matching\/sites\/[^/]+/.test(location.pathname);
  return (
    <div className="og-matching" data-testid="matching-page">
      <Tabs
        activeKey={inDetail ? '' : tab}
        onChange={(key) => void navigate(`/matching/${key}`)}
        items={TABS.map((k) => ({ key: k, label: <span data-testid={`matching-tab-${k}`}>{t(`nav.${k}`)}</span> }))}
      />
      <Suspense fallback={<PageSpin />}>
        <Routes>
          <Route index element={<Navigate to="sites" replace />} />
          <Route path="sites" element={<SitesMap />} />
          <Route path="sites/:id" element={<SiteDetailPage />} />
          <Route path="companies" element={<CompaniesPage />} />
          <Route path="coverage" element={<CoverageMap />} />
        </Routes>
      </Suspense>
    </div>
  );
}
