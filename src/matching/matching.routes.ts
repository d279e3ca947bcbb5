import { z } from 'zod';
import type { Deps } from '../deps.js';
import type { HttpServer } from '../platform/http/server.js';
import { authenticate } from '../access/auth.http.js';
import { CHANNELS } from '../intake/reports.js';
import { DISCOVERY_GROUPINGS } from './discovery.js';
import { MATCH_DISTANCE_MAX_M, MATCH_WINDOW_MAX_DAYS } from './sites.js';
import { discovery, getSite, joinSites, listSites, rebuildSites, splitSite } from './matching.service.js';

const tags = ['matching'];
const lang = z.string().max(20).optional();
const id = z.string().min(1).max(100);
const instantText = z.string().min(1).max(40);

// ---------------------------------------------------------------------------------------------------------
// Views
// ---------------------------------------------------------------------------------------------------------

const link = z.union([
  z.object({
    kind: z.literal('auto'),
    toReportId: z.string(),
    distanceM: z.number(),
    sameCompound: z.boolean(),
    text: z.enum(['match', 'absent']),
  }),
  z.object({ kind: z.literal('join'), toReportId: z.string(), overrideId: z.string() }),
]);

const siteView = z.object({
  id: z.string(),
  firstReportId: z.string(),
  firstChannel: z.string(),
  firstReceivedAt: z.string(),
  lastReceivedAt: z.string(),
  reportCount: z.number(),
  channels: z.array(z.string()),
  lng: z.number(),
  lat: z.number(),
  compoundId: z.string().nullable(),
  propertyCompanyId: z.string().nullable(),
  subdistrictId: z.string().nullable(),
  verified: z.boolean(),
  verifiedAt: z.string().nullable(),
  builtAt: z.string(),
});

const siteDetailView = siteView.extend({
  reports: z.array(
    z.object({
      reportId: z.string(),
      seq: z.number(),
      channel: z.string(),
      receivedAt: z.string(),
      discoveredAt: z.string().nullable(),
      propertyCompanyId: z.string().nullable(),
      placeText: z.string().nullable(),
      verifiedAt: z.string().nullable(),
      links: z.array(link),
      report: z
        .object({
          id: z.string(),
          trackingCode: z.string(),
          categoryKey: z.string().nullable(),
          description: z.string(),
          address: z.string().nullable(),
          lng: z.number().nullable(),
          lat: z.number().nullable(),
          compoundId: z.string().nullable(),
          caseId: z.string().nullable(),
        })
        .nullable(),
    }),
  ),
});

const figures = z.object({
  key: z.string(),
  verifiedSites: z.number(),
  companySites: z.number(),
  reportedByCompany: z.number(),
  discoveryRate: z.number().nullable(),
  timely: z.number(),
  late: z.number(),
  lagUnknown: z.number(),
  timeliness: z.number().nullable(),
  companyFirst: z.number(),
  missedNever: z.number(),
  missedLater: z.number(),
  firstFinders: z.record(z.string(), z.number()),
});

const discoveryView = z.object({
  from: z.string(),
  to: z.string(),
  by: z.enum(DISCOVERY_GROUPINGS),
  totals: figures,
  groups: z.array(figures),
  channels: z.array(
    z.object({
      channel: z.string(),
      sitesFound: z.number(),
      foundFirst: z.number(),
      share: z.number().nullable(),
      firstShare: z.number().nullable(),
    }),
  ),
  missed: z.array(
    z.object({
      siteId: z.string(),
      compoundId: z.string().nullable(),
      propertyCompanyId: z.string(),
      subdistrictId: z.string().nullable(),
      firstChannel: z.string(),
      firstReceivedAt: z.string(),
      companyReportedAt: z.string().nullable(),
      reason: z.enum(['never', 'later']),
    }),
  ),
  names: z.record(z.string(), z.string()),
});

const rebuildView = z.object({
  reports: z.number(),
  sites: z.number(),
  verifiedSites: z.number(),
  settings: z.object({ distanceM: z.number(), windowDays: z.number() }),
});

/** 'minLng,minLat,maxLng,maxLat' in WGS-84. */
const bbox = z
  .string()
  .max(100)
  .transform((s, ctx) => {
    const n = s.split(',').map(Number);
    const [minLng, minLat, maxLng, maxLat] = n;
    if (
      n.length !== 4 ||
      minLng === undefined ||
      minLat === undefined ||
      maxLng === undefined ||
      maxLat === undefined ||
      n.some((v) => !Number.isFinite(v)) ||
      minLng > maxLng ||
      minLat > maxLat
    ) {
      ctx.addIssue({ code: 'custom', message: 'bbox must be minLng,minLat,maxLng,maxLat' });
      return z.NEVER;
    }
    return { minLng, minLat, maxLng, maxLat };
  });

const ctxOf = (actor: Parameters<typeof listSites>[1], requestId: string) => ({ actor, requestId });

/**
 * Sites over HTTP: the list (map), one site with its linked reports and the reasons of each link, the
 * dispatcher's split and join, a full rebuild, and the discovery figures.
 */
export async function matchingRoutes(app: HttpServer, deps: Deps): Promise<void> {
  app.get(
    '/api/matching/sites',
    {
      schema: {
        tags,
        summary:
          'Sites in the caller’s scope, newest first: bbox, status (verified or not), first finder channel',
        querystring: z.strictObject({
          bbox: bbox.optional(),
          status: z.enum(['verified', 'unverified']).optional(),
          firstFinder: z.enum(CHANNELS).optional(),
          from: instantText.optional(),
          to: instantText.optional(),
          limit: z.coerce.number().int().min(1).max(5000).optional(),
          lang,
        }),
        response: { 200: z.object({ items: z.array(siteView) }) },
      },
    },
    async (req) => {
      const { actor } = await authenticate(deps, req);
      const { lang: _lang, ...q } = req.query;
      return { items: await listSites(deps, actor, q) };
    },
  );

  app.get(
    '/api/matching/sites/:id',
    {
      schema: {
        tags,
        summary:
          'One site: every linked report with the reason of each link (distance, compound, text, or a join)',
        params: z.strictObject({ id }),
        querystring: z.strictObject({ lang }),
        response: { 200: siteDetailView },
      },
    },
    async (req) => {
      const { actor } = await authenticate(deps, req);
      return getSite(deps, actor, req.params.id);
    },
  );

  app.post(
    '/api/matching/sites/:id/split',
    {
      schema: {
        tags,
        summary:
          'Takes a report out of the site: it stands alone from now on, whatever the automatic rule says (audited)',
        params: z.strictObject({ id }),
        querystring: z.strictObject({ lang }),
        body: z.strictObject({ reportId: id, reason: z.string().max(500).nullable().optional() }),
        response: { 200: z.object({ siteId: z.string(), splitSiteId: z.string() }) },
      },
    },
    async (req) => {
      const { actor } = await authenticate(deps, req);
      return splitSite(deps, ctxOf(actor, req.id), req.params.id, req.body);
    },
  );

  app.post(
    '/api/matching/join',
    {
      schema: {
        tags,
        summary: 'Joins sites into one, the one first reported giving the id (audited)',
        querystring: z.strictObject({ lang }),
        body: z.strictObject({
          siteIds: z.array(id).min(2).max(50),
          reason: z.string().max(500).nullable().optional(),
        }),
        response: { 200: z.object({ siteId: z.string() }) },
      },
    },
    async (req) => {
      const { actor } = await authenticate(deps, req);
      return joinSites(deps, ctxOf(actor, req.id), req.body);
    },
  );

  app.post(
    '/api/matching/rebuild',
    {
      schema: {
        tags,
        summary:
          'Regroups every illegal-construction report into sites; settings not given keep those of the last rebuild',
        querystring: z.strictObject({ lang }),
        body: z
          .strictObject({
            distanceM: z.number().positive().max(MATCH_DISTANCE_MAX_M).optional(),
            windowDays: z.number().int().min(1).max(MATCH_WINDOW_MAX_DAYS).optional(),
          })
          .optional(),
        response: { 200: rebuildView },
      },
    },
    async (req) => {
      const { actor } = await authenticate(deps, req);
      return rebuildSites(deps, ctxOf(actor, req.id), req.body ?? {});
    },
  );

  app.get(
    '/api/matching/discovery',
    {
      schema: {
        tags,
        summary:
          'Discovery figures of verified sites first reported in [from, to] (dates are Shanghai days): per property company, compound, subdistrict or channel',
        querystring: z.strictObject({
          from: instantText,
          to: instantText,
          by: z.enum(DISCOVERY_GROUPINGS),
          lang,
        }),
        response: { 200: discoveryView },
      },
    },
    async (req) => {
      const { actor } = await authenticate(deps, req);
      return discovery(deps, actor, { from: req.query.from, to: req.query.to, by: req.query.by });
    },
  );
}
