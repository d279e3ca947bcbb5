import { Tabs } from 'antd';
import { lazy, Suspense, type ReactNode } from 'react';
import { Navigate, Route, Routes, useLocation, useNavigate } from 'react-router-dom';
import { useT } from '../../i18n/i18n';
import type { MessageKey } from '../../i18n/messages';
import { PageHeading } from '../../shell/page-heading';
import { PageSpin } from '../../shell/page-spin';
import CategoriesPage from './categories-page';
import OrgUnitsPage from './org-units-page';
import {
  CompoundsList,
  DepartmentsList,
  MerchantsList,
  PropertyCompaniesList,
  UsersList,
} from './party-lists';
import './registry.css';

// The two pages that draw maps are chunks of their own; MapLibre itself loads on first use (maplibre-loader).
const RegistryMapPage = lazy(() => import('./map/registry-map-page'));
const LayerImportPage = lazy(() => import('./layer-import-page'));

/** The registry's pages, in the order of the tab bar; the path is the segment under /registry. */
const TABS: ReadonlyArray<{ path: string; label: MessageKey; element: ReactNode }> = [
  { path: 'map', label: 'registry.tabs.map', element: <RegistryMapPage /> },
  { path: 'org', label: 'registry.tabs.org', element: <OrgUnitsPage /> },
  { path: 'compounds', label: 'registry.tabs.compounds', element: <CompoundsList /> },
  {
    path: 'property-companies',
    label: 'registry.tabs.propertyCompanies',
    element: <PropertyCompaniesList />,
  },
  { path: 'departments', label: 'registry.tabs.departments', element: <DepartmentsList /> },
  { path: 'merchants', label: 'registry.tabs.merchants', element: <MerchantsList /> },
  { path: 'users', label: 'registry.tabs.users', element: <UsersList /> },
  { path: 'categories', label: 'registry.tabs.categories', element: <CategoriesPage /> },
  { path: 'import', label: 'registry.tabs.import', element: <LayerImportPage /> },
];

/** 基础数据库: the map of grid layers, the org tree, the lists of parties and people, categories, layer import. */
export default function RegistryPage() {
  const t = useT();
  const location = useLocation();
  const navigate = useNavigate();
  const segment = location.pathname.replace(/^\/registry\/?/, '').split('/')[0] ?? '';
  const active = TABS.some((tab) => tab.path === segment) ? segment : 'map';

  return (
    <div className="og-registry" data-testid="registry-page">
      <PageHeading title={t('capabilities.registry.title')} description={t('registry.subtitle')} />
      <Tabs
        className="og-registry-tabs"
        activeKey={active}
        onChange={(key) => void navigate(`/registry/${key}`)}
        items={TABS.map((tab) => ({
          key: tab.path,
          label: <span data-testid={`registry-tab-${tab.path}`}>{t(tab.label)}</span>,
        }))}
        data-testid="registry-tabs"
      />
      <Suspense fallback={<PageSpin />}>
        <Routes>
          <Route index element={<Navigate to="map" replace />} />
          {TABS.map((tab) => (
            <Route key={tab.path} path={tab.path} element={tab.element} />
          ))}
          <Route path="*" element={<Navigate to="/registry/map" replace />} />
        </Routes>
      </Suspense>
    </div>
  );
}
