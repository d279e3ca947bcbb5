import {
  ApartmentOutlined,
  ApiOutlined,
  AuditOutlined,
  BarChartOutlined,
  DatabaseOutlined,
  FileSearchOutlined,
  InboxOutlined,
  PartitionOutlined,
  TeamOutlined,
} from '@ant-design/icons';
import { lazy, type ComponentType, type LazyExoticComponent, type ReactNode } from 'react';
import { CasesMenuIcon } from './cases/alerts-badge';

/** The ten capabilities of MISSION.md, in its order; the identifiers are the folder names of src/ and web/src/features/. */
export type CapabilityId =
  | 'registry'
  | 'intake'
  | 'routing'
  | 'cases'
  | 'matching'
  | 'linkage'
  | 'community'
  | 'insight'
  | 'access'
  | 'interfaces';

/** How much of a capability's page exists; the home page says so instead of implying more. */
export type BuildStatus = 'notBuilt' | 'partial';

export interface Capability {
  id: CapabilityId;
  path: string;
  icon: ReactNode;
  status: BuildStatus;
  /** Each page is its own chunk, loaded when first visited (heavy maps and charts will live there). */
  Page: LazyExoticComponent<ComponentType>;
}

export const CAPABILITIES: readonly Capability[] = [
  {
    id: 'registry',
    path: '/registry',
    icon: <DatabaseOutlined />,
    // Map, org tree, lists, categories and layer import work; editing records from the console does not yet.
    status: 'partial',
    Page: lazy(() => import('./registry/registry-page')),
  },
  {
    id: 'intake',
    path: '/intake',
    icon: <InboxOutlined />,
    // Triage queue, report list and detail, and the phone pages (/m/report, /m/track, /m/patrol) work;
    // 12345 batch import has no page yet (CLI and API only).
    status: 'partial',
    Page: lazy(() => import('./intake/intake-page')),
  },
  {
    id: 'routing',
    path: '/routing',
    icon: <PartitionOutlined />,
    // Where a point belongs and who answers for a category there, and the responsibility rules editor.
    status: 'partial',
    Page: lazy(() => import('./routing/routing-page')),
  },
  {
    id: 'cases',
    path: '/cases',
    // The icon carries the alert inbox's unread count.
    icon: <CasesMenuIcon />,
    // Case list with filters, the map of open cases by urgency, case detail with its moves, the officer's
    // phone pages (/m/tasks, /m/cases/:id), time limits, the working-day calendar, the alert inbox and the
    // satisfaction rate (/cases/time-limits, /cases/calendar, /cases/alerts, /cases/satisfaction).
    status: 'partial',
    Page: lazy(() => import('./cases/cases-page')),
  },
  {
    id: 'matching',
    path: '/matching',
    icon: <FileSearchOutlined />,
    // Sites map by first finder, property companies' discovery figures with the monthly trend and the
    // missed list, site detail with the reasons of each link, patrol coverage map; no dual-report phone page.
    status: 'partial',
    Page: lazy(() => import('./matching/matching-page')),
  },
  {
    id: 'linkage',
    path: '/linkage',
    icon: <ApartmentOutlined />,
    status: 'notBuilt',
    Page: lazy(() => import('./linkage/linkage-page')),
  },
  {
    id: 'community',
    path: '/community',
    icon: <TeamOutlined />,
    status: 'notBuilt',
    Page: lazy(() => import('./community/community-page')),
  },
  {
    id: 'insight',
    path: '/insight',
    icon: <BarChartOutlined />,
    status: 'notBuilt',
    Page: lazy(() => import('./insight/insight-page')),
  },
  {
    id: 'access',
    path: '/access',
    icon: <AuditOutlined />,
    status: 'notBuilt',
    Page: lazy(() => import('./access/access-page')),
  },
  {
    id: 'interfaces',
    path: '/interfaces',
    icon: <ApiOutlined />,
    status: 'partial',
    Page: lazy(() => import('./interfaces/interfaces-page')),
  },
];
