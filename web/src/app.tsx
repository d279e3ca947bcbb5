import { App as AntApp, ConfigProvider } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import { lazy, Suspense, type ReactNode } from 'react';
import { createBrowserRouter, Navigate, RouterProvider } from 'react-router-dom';
import { LoginPage } from './auth/login-page';
import { SessionProvider } from './auth/session-context';
import { CAPABILITIES } from './features/capabilities';
import { I18nProvider, useLocale } from './i18n/i18n';
import { ConsoleLayout } from './shell/console-layout';
import { NotFoundPage } from './shell/not-found-page';
import { FullPageSpin, RequireSession } from './shell/require-session';

const HomePage = lazy(() => import('./features/home/home-page'));
// Phone pages: outside the console's frame, each its own chunk.
const ResidentReportPage = lazy(() => import('./mobile/resident-report-page'));
const TrackPage = lazy(() => import('./mobile/track-page'));
const PatrolPage = lazy(() => import('./mobile/patrol-page'));
const TasksPage = lazy(() => import('./mobile/tasks-page'));
const CasePhonePage = lazy(() => import('./mobile/case-page'));
const DualReportPage = lazy(() => import('./mobile/dual-report-page'));
// The bureau's case rules, the alert inbox and the satisfaction rate, beside the case list (matched before
// the cases/* splat).
const TimeLimitsPage = lazy(() => import('./features/cases/time-limits-page'));
const CalendarPage = lazy(() => import('./features/cases/calendar-page'));
const AlertsPage = lazy(() => import('./features/cases/alerts-page'));
const SatisfactionPage = lazy(() => import('./features/cases/satisfaction-page'));

function PhonePage({ children }: { children: ReactNode }) {
  return <Suspense fallback={<FullPageSpin label="" />}>{children}</Suspense>;
}

const router = createBrowserRouter([
  { path: '/login', element: <LoginPage /> },
  // Residents need no sign-in; the patrol page does (the login page comes back here afterwards).
  { path: '/m', element: <Navigate to="/m/report" replace /> },
  {
    path: '/m/report',
    element: (
      <PhonePage>
        <ResidentReportPage />
      </PhonePage>
    ),
  },
  {
    path: '/m/track',
    element: (
      <PhonePage>
        <TrackPage />
      </PhonePage>
    ),
  },
  {
    path: '/m/track/:code',
    element: (
      <PhonePage>
        <TrackPage />
      </PhonePage>
    ),
  },
  {
    path: '/m/patrol',
    element: (
      <RequireSession>
        <PhonePage>
          <PatrolPage />
        </PhonePage>
      </RequireSession>
    ),
  },
  // The officer's case pages (my tasks, on-site check and verification), behind sign-in like /m/patrol.
  {
    path: '/m/tasks',
    element: (
      <RequireSession>
        <PhonePage>
          <TasksPage />
        </PhonePage>
      </RequireSession>
    ),
  },
  {
    path: '/m/cases/:id',
    element: (
      <RequireSession>
        <PhonePage>
          <CasePhonePage />
        </PhonePage>
      </RequireSession>
    ),
  },
  // A property company's dual report (双报告), behind sign-in like /m/patrol.
  {
    path: '/m/dual-report',
    element: (
      <RequireSession>
        <PhonePage>
          <DualReportPage />
        </PhonePage>
      </RequireSession>
    ),
  },
  {
    path: '/',
    element: (
      <RequireSession>
        <ConsoleLayout />
      </RequireSession>
    ),
    children: [
      { index: true, element: <HomePage /> },
      { path: 'cases/time-limits', element: <TimeLimitsPage /> },
      { path: 'cases/calendar', element: <CalendarPage /> },
      { path: 'cases/alerts', element: <AlertsPage /> },
      { path: 'cases/satisfaction', element: <SatisfactionPage /> },
      ...CAPABILITIES.map(({ path, Page }) => ({ path: `${path.slice(1)}/*`, element: <Page /> })),
      { path: '*', element: <NotFoundPage /> },
    ],
  },
]);

// A government console: dense, quiet, one blue.
const THEME = {
  token: {
    colorPrimary: '#1456b8',
    borderRadius: 4,
    fontSize: 14,
    fontFamily:
      "-apple-system, BlinkMacSystemFont, 'Segoe UI', 'PingFang SC', 'Hiragino Sans GB', 'Microsoft YaHei', 'Noto Sans CJK SC', 'Noto Sans SC', 'Helvetica Neue', Arial, sans-serif",
  },
  components: {
    Layout: {
      headerBg: '#0f3d7a',
      headerHeight: 52,
      headerPadding: '0 20px',
      bodyBg: '#f0f2f5',
      siderBg: '#ffffff',
    },
    Menu: { itemHeight: 38, itemMarginBlock: 2 },
  },
};

function LocalisedApp() {
  const { locale } = useLocale();
  return (
    <ConfigProvider locale={locale === 'zh-CN' ? zhCN : enUS} theme={THEME} componentSize="middle">
      <AntApp>
        <SessionProvider>
          <RouterProvider router={router} />
        </SessionProvider>
      </AntApp>
    </ConfigProvider>
  );
}

export function App() {
  return (
    <I18nProvider>
      <LocalisedApp />
    </I18nProvider>
  );
}
