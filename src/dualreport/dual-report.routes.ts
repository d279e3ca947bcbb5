import { z } from 'zod';
import type { Deps } from '../deps.js';
import type { HttpServer } from '../platform/http/server.js';
import { authenticate } from '../access/auth.http.js';
import { REPORT_CRS } from '../intake/reports.js';
import { DISSUASION_OUTCOMES, RECIPIENTS } from './dual-report.js';
import {
  acknowledgeDelivery,
  getDualReport,
  recordOnSite,
  searchDualReports,
  dualReportForm,
  submitDualReport,
  type DualReportEnv,
} from './dual-report.service.js';
import { MISSED_KINDS } from './duty-notices.js';
import {
  companyDutyScore,
  deliverDutyNotice,
  issueDutyNotice,
  replyDutyNotice,
  searchDutyNotices,
} from './duty-notices.service.js';

const tags = ['dual reports'];
const dutyTags = ['duty notices'];

const noNul = (s: string) => !s.includes('\u0000');
const id = z.string().min(1).max(100).refine(noNul, 'no control characters');
const text = (max: number) => z.string().max(max).refine(noNul, 'no control characters');
const lang = z.string().max(20).optional();
const instant = z.string().max(40);

const deadline = z.object({ due: z.string(), basis: z.string() });
export const deliveryView = z.object({
  id: z.string(),
  reportId: z.string(),
  recipient: z.enum(RECIPIENTS),
  unit: z.object({ id: z.string(), name: z.string() }),
  receiptCode: z.string(),
  deliveredAt: z.string(),
  ackDeadline: deadline,
  onSiteDeadline: deadline,
  acknowledgedAt: z.string().nullable(),
  acknowledgedBy: z.string().nullable(),
  onSiteAt: z.string().nullable(),
  onSiteBy: z.string().nullable(),
  ackOverdue: z.boolean(),
  onSiteOverdue: z.boolean(),
});
const dissuasion = z.strictObject({
  at: instant,
  by: text(200),
  outcome: z.enum(DISSUASION_OUTCOMES),
  note: text(2000).nullable().optional(),
  photoIds: z.array(id).max(20).optional(),
});
const dualReportView = z.object({
  id: z.string(),
  trackingCode: z.string(),
  company: z.object({ id: z.string(), name: z.string() }),
  compound: z.object({ id: z.string(), name: z.string() }),
  place: z.object({
    building: z.string().nullable(),
    unit: z.string().nullable(),
    room: z.string().nullable(),
  }),
  categoryKey: z.string().nullable(),
  description: z.string(),
  location: z.object({ lng: z.number(), lat: z.number() }).nullable(),
  discoveredAt: z.string(),
  reportedAt: z.string(),
  underWay: z.boolean(),
  dissuasion: dissuasion.extend({ by: z.string(), note: z.string().nullable().optional() }).nullable(),
  noDissuasionReason: z.string().nullable(),
  lagMinutes: z.number(),
  late: z.boolean(),
  case: z.object({ id: z.string(), code: z.string(), status: z.string(), step: z.string() }).nullable(),
  deliveries: z.array(deliveryView),
});

const submitBody = z.strictObject({
  compoundId: id,
  place: z
    .strictObject({
      building: text(200).nullable().optional(),
      unit: text(200).nullable().optional(),
      room: text(200).nullable().optional(),
    })
    .nullable()
    .optional(),
  location: z
    .strictObject({
      lng: z.number(),
      lat: z.number(),
      crs: z.enum(REPORT_CRS).optional(),
      accuracy: z.number().nullable().optional(),
    })
    .nullable()
    .optional(),
  categoryKey: z.string().max(40),
  description: text(8000),
  discoveredAt: instant,
  underWay: z.boolean(),
  dissuasion: dissuasion.nullable().optional(),
  noDissuasionReason: text(2000).nullable().optional(),
  photoIds: z.array(id).max(20).optional(),
});

const dutyNoticeView = z.object({
  id: z.string(),
  company: z.object({ id: z.string(), name: z.string() }),
  unit: z.object({ id: z.string(), name: z.string() }),
  missed: z.array(z.object({ kind: z.enum(MISSED_KINDS), id: z.string() })),
  note: z.string().nullable(),
  issuedAt: z.string(),
  issuedBy: z.string(),
  deliveredAt: z.string().nullable(),
  deliveredBy: z.string().nullable(),
  reply: z.string().nullable(),
  repliedAt: z.string().nullable(),
  repliedBy: z.string().nullable(),
  unanswered: z.boolean(),
});
const dutyScoreView = z.object({
  company: z.object({ id: z.string(), name: z.string() }),
  from: z.string(),
  to: z.string(),
  missed: z.number(),
  notices: z.number(),
  unanswered: z.number(),
  lateReports: z.number(),
  score: z.number(),
  grade: z.enum(['good', 'watch', 'poor']),
  formula: z.string(),
});

/**
 * Dual reports over HTTP: submission by property-company users, listing and detail, the recipients' steps;
 * and the duty follow-up: duty notices and a company's duty score.
 */
export async function dualReportRoutes(app: HttpServer, deps: Deps, env: DualReportEnv): Promise<void> {
  app.post(
    '/api/dual-reports',
    {
      schema: {
        tags,
        summary:
          'A property company reports illegal construction in a compound it manages (photos uploaded first via POST /api/photos); delivered at once to the squad and the 拆违办',
        querystring: z.strictObject({ lang }),
        body: submitBody,
        response: { 201: dualReportView },
      },
    },
    async (req, reply) => {
      const { actor } = await authenticate(deps, req);
      const { dualReport } = await submitDualReport(deps, env, { actor, requestId: req.id }, req.body);
      return reply.status(201).send(dualReport);
    },
  );

  app.get(
    '/api/dual-reports',
    {
      schema: {
        tags,
        summary:
          'Dual reports the caller sees (the company its own; a recipient those delivered into its scope), newest first, with both deliveries',
        querystring: z.strictObject({
          from: instant.optional(),
          to: instant.optional(),
          compoundId: id.optional(),
          late: z.enum(['true', 'false']).optional(),
          limit: z.coerce.number().int().min(1).max(1000).optional(),
          lang,
        }),
        response: { 200: z.object({ items: z.array(dualReportView) }) },
      },
    },
    async (req) => {
      const { actor } = await authenticate(deps, req);
      const { late, lang: _lang, ...q } = req.query;
      return {
        items: await searchDualReports(deps, actor, {
          ...q,
          ...(late === undefined ? {} : { late: late === 'true' }),
        }),
      };
    },
  );

  app.get(
    '/api/dual-reports/form',
    {
      schema: {
        tags,
        summary:
          'For a property-company user: the compounds its company manages and the illegal-construction categories it may report',
        querystring: z.strictObject({ lang }),
        response: {
          200: z.object({
            company: z.object({ id: z.string(), name: z.string() }),
            compounds: z.array(
              z.object({
                id: z.string(),
                name: z.string(),
                address: z.string().nullable(),
                location: z.object({ lng: z.number(), lat: z.number() }).nullable(),
              }),
            ),
            categories: z.array(z.object({ key: z.string(), name: z.string(), nameEn: z.string().nullable() })),
          }),
        },
      },
    },
    async (req) => {
      const { actor } = await authenticate(deps, req);
      return dualReportForm(deps, actor);
    },
  );

  app.get(
    '/api/dual-reports/:id',
    {
      schema: {
        tags,
        summary: 'One dual report with both deliveries and its case’s state',
        params: z.strictObject({ id }),
        querystring: z.strictObject({ lang }),
        response: { 200: dualReportView },
      },
    },
    async (req) => {
      const { actor } = await authenticate(deps, req);
      return getDualReport(deps, actor, req.params.id);
    },
  );

  app.post(
    '/api/deliveries/:id/acknowledge',
    {
      schema: {
        tags,
        summary: 'The recipient (squad or 拆违办) acknowledges its delivery, once (a second time is 409)',
        params: z.strictObject({ id }),
        querystring: z.strictObject({ lang }),
        response: { 200: deliveryView },
      },
    },
    async (req) => {
      const { actor } = await authenticate(deps, req);
      return acknowledgeDelivery(deps, { actor, requestId: req.id }, req.params.id);
    },
  );

  app.post(
    '/api/deliveries/:id/on-site',
    {
      schema: {
        tags,
        summary:
          'The recipient records its arrival on site (上海市拆除违法建筑若干规定 第7条), once, after acknowledging',
        params: z.strictObject({ id }),
        querystring: z.strictObject({ lang }),
        body: z.strictObject({ at: instant.nullable().optional() }).optional(),
        response: { 200: deliveryView },
      },
    },
    async (req) => {
      const { actor } = await authenticate(deps, req);
      return recordOnSite(deps, { actor, requestId: req.id }, req.params.id, req.body ?? {});
    },
  );

  app.post(
    '/api/duty-notices',
    {
      schema: {
        tags: dutyTags,
        summary:
          'A squad issues a duty notice (督促履职通知) to a property company, listing the sites or reports it missed',
        querystring: z.strictObject({ lang }),
        body: z.strictObject({
          companyId: id,
          missed: z.array(z.strictObject({ kind: z.enum(MISSED_KINDS), id })).max(200),
          note: text(4000).nullable().optional(),
        }),
        response: { 201: dutyNoticeView },
      },
    },
    async (req, reply) => {
      const { actor } = await authenticate(deps, req);
      return reply.status(201).send(await issueDutyNotice(deps, { actor, requestId: req.id }, req.body));
    },
  );

  app.post(
    '/api/duty-notices/:id/deliver',
    {
      schema: {
        tags: dutyTags,
        summary: 'The issuer records the notice’s delivery to the company, once',
        params: z.strictObject({ id }),
        querystring: z.strictObject({ lang }),
        response: { 200: dutyNoticeView },
      },
    },
    async (req) => {
      const { actor } = await authenticate(deps, req);
      return deliverDutyNotice(deps, { actor, requestId: req.id }, req.params.id);
    },
  );

  app.post(
    '/api/duty-notices/:id/reply',
    {
      schema: {
        tags: dutyTags,
        summary: 'The property company replies to a delivered notice, once',
        params: z.strictObject({ id }),
        querystring: z.strictObject({ lang }),
        body: z.strictObject({ reply: text(4000) }),
        response: { 200: dutyNoticeView },
      },
    },
    async (req) => {
      const { actor } = await authenticate(deps, req);
      return replyDutyNotice(deps, { actor, requestId: req.id }, req.params.id, req.body);
    },
  );

  app.get(
    '/api/duty-notices',
    {
      schema: {
        tags: dutyTags,
        summary:
          'Duty notices the caller sees (a company its own, a squad its scope’s, the bureau and 房管 all), newest first',
        querystring: z.strictObject({
          companyId: id.optional(),
          from: instant.optional(),
          to: instant.optional(),
          limit: z.coerce.number().int().min(1).max(1000).optional(),
          lang,
        }),
        response: { 200: z.object({ items: z.array(dutyNoticeView) }) },
      },
    },
    async (req) => {
      const { actor } = await authenticate(deps, req);
      const { lang: _lang, ...q } = req.query;
      return { items: await searchDutyNotices(deps, actor, q) };
    },
  );

  app.get(
    '/api/property-companies/:id/duty-score',
    {
      schema: {
        tags: dutyTags,
        summary:
          'A property company’s duty score for a period (default the last 365 days): max(0, 100 − 5·missed − 10·max(0, notices − 1) − 15·unanswered − 2·lateReports); for the bureau and the housing department',
        params: z.strictObject({ id }),
        querystring: z.strictObject({ from: instant.optional(), to: instant.optional(), lang }),
        response: { 200: dutyScoreView },
      },
    },
    async (req) => {
      const { actor } = await authenticate(deps, req);
      const { lang: _lang, ...q } = req.query;
      return companyDutyScore(deps, actor, req.params.id, q);
    },
  );
}
