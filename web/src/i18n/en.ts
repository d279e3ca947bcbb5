import type { Messages } from './messages';

// English strings. The type makes a missing or extra key a compile error.
export const en: Messages = {
  app: {
    title: 'OneGrid Urban Management',
    shortTitle: 'OneGrid',
    subtitle: 'District bureau · community workstations',
  },
  common: {
    loading: 'Loading…',
    retry: 'Retry',
    open: 'Open',
    backHome: 'Back to workbench',
  },
  language: {
    label: 'Language',
    zhCN: '中文',
    en: 'English',
  },
  auth: {
    title: 'Staff sign-in',
    username: 'Username',
    password: 'Password',
    usernameRequired: 'Enter your username',
    passwordRequired: 'Enter your password',
    submit: 'Sign in',
    logout: 'Sign out',
    notice: 'For authorised staff only. Every action is recorded in the audit log.',
  },
  nav: {
    home: 'Workbench',
    capabilities: 'Capabilities',
    collapse: 'Collapse menu',
    expand: 'Expand menu',
  },
  roles: {
    bureauLeader: 'Bureau leader',
    bureauStaff: 'Bureau staff',
    squadLeader: 'Squad leader',
    dispatcher: 'Dispatcher',
    officer: 'Officer',
    workstationStaff: 'Workstation staff',
    departmentLiaison: 'Department liaison',
    propertyCompany: 'Property company',
    resident: 'Resident / merchant',
  },
  unitKinds: {
    bureau: 'District bureau',
    subdistrict: 'Subdistrict / town',
    squad: 'Squad',
    workstation: 'Community workstation',
    sector: 'Sector',
    community: 'Community',
    compound: 'Compound',
    department: 'Department',
    propertyCompany: 'Property company',
    ownersCommittee: "Owners' committee",
  },
  capabilities: {
    registry: {
      title: 'Registry',
      description:
        "Org units (bureau, subdistrict, squad, workstation, sector, community), compounds, property companies, owners' committees, departments and their liaisons, merchants and people; grid layers imported from GeoJSON with validation; the GB/T 47678.5 problem categories and local extensions.",
    },
    intake: {
      title: 'Intake',
      description:
        'Reports from residents, property companies (dual report), patrols, grid workers, 12345 batches and Open311 clients; photos with their hash; exact or approximate location in any of the three Chinese coordinate systems; idempotent submission so a retry never creates a second report.',
    },
    routing: {
      title: 'Routing',
      description:
        'Grid fusion over all layers; category × area responsibility rules (lead and assisting units); an explicit triage queue for what no rule covers.',
    },
    cases: {
      title: 'Cases',
      description:
        'The seven-step loop (collect, open, dispatch, handle, feedback, verify & close, evaluate) with rework, postponement, suspension and return; the enforcement procedure; deadlines on the working-day calendar; reminders and escalation; duplicate reports merged into one case.',
    },
    matching: {
      title: 'Dual report & matching',
      description:
        'Two receipts per dual report; matching of reports from all channels that describe the same site; discovery rate and timeliness per channel, compound and property company; what each property company missed.',
    },
    linkage: {
      title: 'Linkage',
      description:
        'Transfers with receipts and time limits, assistance requests, data inquiries, two-way notices, liaison contacts, joint meetings with minutes and action items, situation bulletins.',
    },
    community: {
      title: 'Community',
      description:
        'Suggestions with acknowledgement, reply and adoption; opinion campaigns; consultations; outreach events with participants; volunteer hours; service points and their use; visits and receptions.',
    },
    insight: {
      title: 'Performance',
      description:
        'Indicators (complaints year on year, satisfaction, discovery rate …) per unit, area, category and period; dashboards with charts and maps; Excel export; a monthly bulletin generated from the data.',
    },
    access: {
      title: 'Access & audit',
      description:
        'Roles scoped to org units; every change in an append-only, hash-chained audit log that can be verified; personal data minimised and masked; reporter identity hidden from those who need not see it; evidence hashed at capture.',
    },
    interfaces: {
      title: 'Interfaces',
      description:
        'The staff web console (zh-CN first, English too) and phone pages for reporters and officers; a JSON HTTP API described by OpenAPI; Open311 GeoReport v2; a command-line tool.',
    },
  },
  notBuilt: {
    title: 'This page is not built yet',
    subtitle: 'The "{capability}" page is under construction; there is no data to show yet.',
    plannedScope: 'Planned scope',
  },
  notFound: {
    title: 'Page not found',
    subtitle: 'There is no page at this address.',
  },
  home: {
    greeting: 'Hello, {name}',
    profile: 'Signed-in account',
    displayName: 'Name',
    username: 'Username',
    role: 'Role',
    unit: 'Unit',
    unitCode: 'Unit code',
    unitKind: 'Unit kind',
    permissions: 'Permissions',
    noPermissions: 'None',
    capabilities: 'Capabilities',
    statusNotBuilt: 'Not built yet',
    statusPartial: 'Partly available',
  },
  interfaces: {
    apiDocsTitle: 'HTTP API documentation',
    apiDocsDescription:
      "The system's JSON HTTP API is described by OpenAPI and can be browsed and tried in the browser.",
    openApiDocs: 'Open API documentation',
    remaining: 'Phone pages, Open311 GeoReport v2 and the command-line guide are not built yet.',
  },
  errors: {
    Unauthenticated: 'You are not signed in, or your session has expired. Please sign in again.',
    RateLimited: 'Too many attempts. Please try again later.',
    Forbidden: 'You are not allowed to do this.',
    NetworkError: 'Cannot reach the server. Check the network and try again.',
    BadResponse: 'The server sent a response that could not be read.',
    unknown: 'The operation failed. Please try again later.',
  },
};
