import { lazy, Suspense } from 'react';
import { Navigate, Route, Routes } from 'react-router-dom';
import { PageSpin } from '../../shell/page-spin';
import { CaseRulesFrame } from './case-rules-frame';

const CaseList = lazy(() => import('./case-list'));
const CaseMap = lazy(() => import('./case-map'));
const CaseDetailPage = lazy(() => import('./case-detail'));

/**
 * 案件办理: the case list with filters, the map of open cases by urgency, and a case's detail, inside the
 * same tab bar as the time limits, the calendar and the alert inbox (CaseRulesFrame).
 */
export default function CasesPage() {
  return (
    <CaseRulesFrame>
      <Suspense fallback={<PageSpin />}>
        <Routes>
          <Route index element={<Navigate to="list" replace />} />
          <Route path="list" element={<CaseList />} />
          <Route path="map" element={<CaseMap />} />
          <Route path=":id" element={<CaseDetailPage />} />
        </Routes>
      </Suspense>
    </CaseRulesFrame>
  );
}
