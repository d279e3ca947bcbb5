import type { dualReportZhCN } from './dual-report.zh-CN';

type Widen<T> = { readonly [K in keyof T]: T[K] extends string ? string : Widen<T[K]> };
/** The shape of the dual report page's dictionary: zh-CN's keys, every leaf a string. */
export type DualReportMessages = Widen<typeof dualReportZhCN>;

// English strings of the dual report page; the type makes a missing or extra key a compile error.
export const dualReportEn: DualReportMessages = {
  title: 'Dual report of illegal construction',
  subtitle:
    'A property company that finds new illegal construction and cannot stop it must report within 24 hours (Shanghai Residential Property Management Regulations, art. 59). One report reaches the squad and the district demolition office (拆违办) at once.',
  signedInAs: '{name} ({company})',
  forbidden: 'This page is for property-company staff only.',
  form: {
    compound: 'Compound',
    compoundPlaceholder: 'Choose a compound your company manages',
    place: 'Where in the compound',
    building: 'Building',
    unit: 'Unit',
    room: 'Room',
    usePoint: 'Mark a point on the map (when building/room do not describe it)',
    mapHint: 'Tap the map to place the marker; without one the compound’s location is used.',
    pointPicked: 'Point: {point}',
    category: 'Category',
    categoryPlaceholder: 'Choose an illegal-construction category',
    description: 'Description',
    descriptionPlaceholder:
      'E.g. a steel-sheet room being built on the top-floor terrace of building 5, about 20 m²',
    discoveredAt: 'Discovered at (Shanghai time)',
    discoveredHint:
      'Defaults to now; cannot be in the future. Reported more than 24 hours after discovery counts as late.',
    underWay: 'Building under way',
    underWayOn:
      'Under way: the squad and the 拆违办 must be on site within 2 hours (Shanghai Provisions on Demolishing Illegal Buildings, art. 7).',
    underWayOff:
      'Stopped or finished: on site within 24 hours of the report; if building is still going on, switch this on — the limit becomes 2 hours.',
    dissuasion: 'Dissuasion record (劝阻/制止)',
    dissuasionRecord: 'Dissuaded',
    dissuasionNone: 'Could not dissuade',
    dissuasionAt: 'Dissuaded at (Shanghai time)',
    dissuasionBy: 'Dissuaded by',
    dissuasionByPlaceholder: 'Name of the company’s staff member',
    dissuasionOutcome: 'Outcome',
    outcomes: { ineffective: 'Ineffective', stopped: 'Building stopped' },
    dissuasionNote: 'What happened (optional)',
    dissuasionPhotos: 'Dissuasion photos',
    noDissuasionReason: 'Why there was no dissuasion',
    noDissuasionPlaceholder: 'E.g. already finished when found, nobody on site',
    photos: 'Photos',
    submit: 'Submit dual report',
    submitting: 'Submitting…',
    failed: 'Not submitted',
    required: 'Required',
    compoundRequired: 'Choose a compound',
    categoryRequired: 'Choose a category',
    pointRequired: 'Tap the map, or switch the point off',
    futureTime: 'Cannot be in the future',
    badTime: 'Enter a full date and time',
  },
  done: {
    title: 'Dual report delivered',
    trackingCode: 'Report {code}',
    lag: 'Discovery to report: {lag}',
    late: 'Late (over 24 hours)',
    onTime: 'Reported within 24 hours',
    another: 'Report another',
  },
  receipt: {
    squad: 'Enforcement squad',
    illegalConstructionOffice: 'District 拆违办',
    code: 'Receipt',
    deliveredAt: 'Delivered',
    ackDeadline: 'Acknowledge by',
    onSiteDeadline: 'On site by',
    acknowledged: 'Acknowledged {at}',
    notAcknowledged: 'Not yet acknowledged',
    onSite: 'On site {at}',
    notOnSite: 'Not yet on site',
    overdue: 'Overdue',
    rule1h: 'within 1 hour',
    rule2h: 'under way: within 2 hours',
    rule24h: 'within 24 hours',
  },
  list: {
    title: 'My dual reports',
    empty: 'No dual reports yet',
    refresh: 'Refresh',
    case: 'Case {code}',
  },
  units: { minutes: '{n} min', hours: '{h} h {m} min', days: '{d} d {h} h' },
};
