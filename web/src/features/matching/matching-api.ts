// Matching's and patrol coverage's HTTP API as the console reads it: the shapes of
// src/matching/matching.routes.ts and src/patrols/patrols.routes.ts.
import type { ApiClient } from '../../api/client';

export type Link =
  | { kind: 'auto'; toReportId: string; distanceM: number; sameCompound: boolean; text: 'match' | 'absent' }
  | { kind: 'join'; toReportId: string; overrideId: string };

export interface SiteView {
  id: string;
  firstReportId: string;
  firstChannel: string;
  firstReceivedAt: string;
  lastReceivedAt: string;
  reportCount: number;
  channels: string[];
  lng: number;
  lat: number;
  compoundId: string | null;
  propertyCompanyId: string | null;
  subdistrictId: string | null;
  verified: boolean;
  verifiedAt: string | null;
  builtAt: string;
}

export interface SiteMember {
  reportId: string;
  seq: number;
  channel: string;
  receivedAt: string;
  discoveredAt: string | null;
  propertyCompanyId: string | null;
  placeText: string | null;
  verifiedAt: string | null;
  links: Link[];
  report: {
    id: string;
    trackingCode: string;
    categoryKey: string | null;
    description: string;
    address: string | null;
    compoundId: string | null;
    caseId: string | null;
  } | null;
}

export interface SiteDetail extends SiteView {
  reports: SiteMember[];
}

export interface Figures {
  key: string;
  verifiedSites: number;
  companySites: number;
  reportedByCompany: number;
  discoveryRate: number | null;
  timely: number;
  late: number;
  lagUnknown: number;
  timeliness: number | null;
  companyFirst: number;
  missedNever: number;
  missedLater: number;
  firstFinders: Record<string, number>;
}

export interface MissedSite {
  siteId: string;
  compoundId: string | null;
  propertyCompanyId: string;
  subdistrictId: string | null;
  firstChannel: string;
  firstReceivedAt: string;
  companyReportedAt: string | null;
  reason: 'never' | 'later';
}

export interface Discovery {
  from: string;
  to: string;
  by: string;
  totals: Figures;
  groups: Figures[];
  channels: Array<{ channel: string; sitesFound: number; foundFirst: number; share: number | null; firstShare: number | null }>;
  missed: MissedSite[];
  names: Record<string, string>;
}

export interface CoverageItem {
  compound: { id: string; code: string; name: string };
  location: { lng: number; lat: number } | null;
  patrolled: boolean;
  patrols: number;
  lastAt: string | null;
}

export interface Coverage {
  from: string;
  to: string;
  total: number;
  patrolled: number;
  items: CoverageItem[];
}

export const fetchSites = (api: ApiClient, q: { status?: 'verified' | 'unverified' }, signal?: AbortSignal) =>
  api.get<{ items: SiteView[] }>('/api/matching/sites', {
    query: { limit: '5000', ...(q.status ? { status: q.status } : {}) },
    signal,
  });

export const fetchSite = (api: ApiClient, id: string, signal?: AbortSignal) =>
  api.get<SiteDetail>(`/api/matching/sites/${encodeURIComponent(id)}`, { signal });

/** Discovery figures for Shanghai days [from, to] (YYYY-MM-DD, both included). */
export const fetchDiscovery = (api: ApiClient, from: string, to: string, by: 'propertyCompany' | 'compound' | 'subdistrict' | 'channel', signal?: AbortSignal) =>
  api.get<Discovery>('/api/matching/discovery', { query: { from, to, by }, signal });

export const fetchCoverage = (api: ApiClient, from: string, to: string, signal?: AbortSignal) =>
  api.get<Coverage>('/api/patrols/coverage', { query: { from, to }, signal });

/** Colours of the first finders on the map and in the charts. */
export const CHANNEL_COLOURS: Record<string, string> = {
  dualReport: '#1677ff',
  patrol: '#52c41a',
  resident: '#fa8c16',
  hotline12345: '#eb2f96',
  gridWorker: '#13c2c2',
  open311: '#722ed1',
};
export const MAP_CHANNELS = ['dualReport', 'patrol', 'resident', 'hotline12345', 'gridWorker', 'open311'] as const;

const pad = (n: number) => String(n).padStart(2, '0');
/** A Shanghai calendar date (YYYY-MM-DD) of an instant. */
export const shanghaiDate = (ms: number): string => {
  const d = new Date(ms + 8 * 3_600_000);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
};

/** The last twelve whole and current months as [label YYYY-MM, first day, last day] (Shanghai). */
export function lastTwelveMonths(nowMs: number): Array<{ month: string; from: string; to: string }> {
  const today = shanghaiDate(nowMs);
  let y = Number(today.slice(0, 4));
  let m = Number(today.slice(5, 7));
  const out: Array<{ month: string; from: string; to: string }> = [];
  for (let i = 0; i < 12; i++) {
    const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
    const month = `${y}-${pad(m)}`;
    out.unshift({ month, from: `${month}-01`, to: i === 0 ? today : `${month}-${pad(last)}` });
    m -= 1;
    if (m === 0) {
      m = 12;
      y -= 1;
    }
  }
  return out;
}

export const percent = (v: number | null): string => (v === null ? '—' : `${Math.round(v * 1000) / 10}%`);
