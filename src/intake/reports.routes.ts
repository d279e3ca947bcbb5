import { createHash } from 'node:crypto';
import rateLimit from '@fastify/rate-limit';
import { z } from 'zod';
import type { Deps } from '../deps.js';
import type { HttpServer } from '../platform/http/server.js';
import { DomainError, invalid } from '../platform/errors.js';
import { pickLang, platformMessages, renderMessage } from '../platform/http/messages.js';
import { authenticate, authenticateOptional, hasCredentials } from '../access/auth.http.js';
import type { Actor } from '../access/roles.js';
import { decodeCsv } from '../registry/csv.js';
import { partiesMessages } from '../registry/parties.messages.js';
import type { RoutingEngine } from '../routing/routing.service.js';
import { photoView } from './photos.routes.js';
import { anonymousActor } from './photos.service.js';
import { IMPORT_CHANNELS, importReports } from './import.service.js';
import {
  CHANNELS,
  DEFAULT_INTAKE_SETTINGS,
  REPORT_CRS,
  REPORT_STATUS_FILTERS,
  canonicalJson,
  isIdempotencyKey,
  type IntakeSettings,
} from './reports.js';
import { reportMessages } from './reports.messages.js';
import {
  assignReport,
  getReport,
  nearbyCases,
  searchReports,
  splitReport,
  submitReport,
  submitReportIdempotent,
  trackReport,
  triageQueue,
} from './reports.service.js';

const tags = ['reports'];
const catalogue = { ...platformMessages, ...partiesMessages, ...reportMessages };

// ---------------------------------------------------------------------------------------------------------
// Views
// ---------------------------------------------------------------------------------------------------------

const unitName = z.object({ id: z.string(), name: z.string(), nameEn: z.string().nullable() });
const categoryName = z.object({ key: z.string(), name: z.string(), nameEn: z.string().nullable() });
const point = z.object({ lng: z.number(), lat: z.number() });

const submitView = z.object({
  id: z.string(),
  trackingCode: z.string(),
  status: z.string(),
  receivedAt: z.string(),
  responsibleUnit: unitName.nullable(),
  triage: z.object({ unit: unitName, reason: z.string() }).nullable(),
  caseId: z.string(),
  caseCode: z.string(),
  duplicateOf: z.object({ caseId: z.string(), caseCode: z.string(), distanceM: z.number() }).optional(),
});

const reportView = z.object({
  id: z.string(),
  trackingCode: z.string(),
  channel: z.string(),
  sourceTicketId: z.string().nullable(),
  status: z.string(),
  category: categoryName.nullable(),
  description: z.string(),
  location: point.nullable(),
  source: z.object({ crs: z.string().nullable(), lng: z.number().nullable(), lat: z.number().nullable() }),
  accuracyM: z.number().nullable(),
  address: z.string().nullable(),
  compoundId: z.string().nullable(),
  observedAt: z.string().nullable(),
  receivedAt: z.string(),
  reporter: z.object({ name: z.string().nullable(), phone: z.string().nullable(), anonymous: z.boolean() }),
  responsibleUnit: unitName.nullable(),
  ruleId: z.string().nullable(),
  triage: z.object({ unit: unitName, reason: z.string() }).nullable(),
  case: z
    .object({
      id: z.string(),
      code: z.string(),
      status: z.string(),
      step: z.string(),
      category: categoryName.nullable(),
      responsibleUnit: unitName.nullable(),
      openedAt: z.string(),
      version: z.number(),
    })
    .nullable(),
});
const reportDetail = reportView.extend({
  routing: z.unknown(),
  extra: z.record(z.string(), z.unknown()).nullable(),
  caseReportIds: z.array(z.string()),
  photos: z.array(photoView),
});

const importProblem = z.object({
  line: z.number(),
  field: z.string(),
  key: z.string(),
  reason: z.string(),
  value: z.string().optional(),
  message: z.string(),
});
const importView = z.object({
  channel: z.string(),
  rows: z.number(),
  imported: z.number(),
  skipped: z.array(z.object({ line: z.number(), ticketId: z.string() })),
  problems: z.array(importProblem),
  rejected: z.boolean(),
  created: z.array(
    z.object({
      line: z.number(),
      ticketId: z.string(),
      id: z.string(),
      trackingCode: z.string(),
      caseId: z.string(),
    }),
  ),
});

// ---------------------------------------------------------------------------------------------------------
// Inputs
// ---------------------------------------------------------------------------------------------------------

/** No NUL characters anywhere: PostgreSQL refuses them in text, so they would be a 500 instead of a 400. */
const noNul = (s: string) => !s.includes('\u0000');
const id = z.string().min(1).max(100).refine(noNul, 'no control characters');
const idParam = z.strictObject({ id });
const lang = z.string().max(20).optional();
const categoryKey = z.string().regex(/^(component|event):\d{5}$/, 'a category key such as event:06001');
/** A finite number from a query string (no NaN, no Infinity). */
const queryNumber = z.coerce.number().refine(Number.isFinite, 'a finite number');

// Lengths here are generous bounds against abuse; the rules give the real limits (e.g. 4,000 characters of
// description, counted in characters, not UTF-16 units) and name the field.
const reportBody = z.strictObject({
  channel: z.enum(CHANNELS),
  categoryKey: z.string().max(40).nullable().optional(),
  description: z.string().max(8000),
  location: z
    .strictObject({
      lng: z.number(),
      lat: z.number(),
      crs: z.enum(REPORT_CRS).optional(),
      accuracy: z.number().nullable().optional(),
    })
    .nullable()
    .optional(),
  compoundId: id.nullable().optional(),
  address: z.string().max(1000).nullable().optional(),
  observedAt: z.string().max(40).nullable().optional(),
  photoIds: z.array(id).max(20).optional(),
  reporter: z
    .strictObject({
      name: z.string().max(200).nullable().optional(),
      phone: z.string().max(40).nullable().optional(),
      anonymous: z.boolean().optional(),
    })
    .nullable()
    .optional(),
  sourceTicketId: z.string().max(100).nullable().optional(),
});

/** 4,000 characters of description escaped as \uXXXX are 24 KB; 256 KiB leaves room and refuses a 10 MB body (413). */
export const REPORT_BODY_LIMIT = 256 * 1024;

/** Whose idempotency keys these are: the user's or API key's, or an anonymous caller's address. */
const principalOf = (actor: Actor, ip: string) =>
  actor.id === 'anonymous' ? `anonymous:${ip}` : `${actor.kind}:${actor.id}`;

const ctxOf = (actor: Actor, requestId: string) => ({ actor, requestId });

/**
 * Reports over HTTP: submission (anonymous residents too, idempotent with Idempotency-Key), listing, detail,
 * the triage queue and the dispatcher's decisions, nearby open cases, public tracking, and batch import.
 * `engine` is the application's one routing engine.
 */
export async function reportRoutes(
  app: HttpServer,
  deps: Deps,
  engine: RoutingEngine,
  settings: IntakeSettings = DEFAULT_INTAKE_SETTINGS,
): Promise<void> {
  await app.register(rateLimit, { global: false });
  // Import bodies, in this plugin only: CSV (UTF-8, anything else refused) and JSON Lines.
  app.addContentTypeParser(
    ['text/csv', 'application/csv'],
    { parseAs: 'buffer', bodyLimit: deps.config.uploadLimit },
    (_req, body, done) => {
      try {
        done(null, { format: 'csv', text: decodeCsv(body as Buffer) });
      } catch (e) {
        done(e as Error, undefined);
      }
    },
  );
  app.addContentTypeParser(
    ['application/x-ndjson', 'application/jsonl', 'application/x-jsonlines'],
    { parseAs: 'buffer', bodyLimit: deps.config.uploadLimit },
    (_req, body, done) => {
      try {
        done(null, { format: 'jsonl', text: decodeCsv(body as Buffer) });
      } catch (e) {
        done(e as Error, undefined);
      }
    },
  );

  app.post(
    '/api/reports',
    {
      bodyLimit: REPORT_BODY_LIMIT,
      config: {
        // Anonymous submissions only, per client address: a script cannot flood the triage queues, while
        // staff, 12345 and Open311 clients (API keys) are never slowed. A retry with its Idempotency-Key counts.
        rateLimit: {
          max: deps.config.anonymousReportRateLimit,
          timeWindow: '1 minute',
          hook: 'preHandler',
          allowList: (req) => hasCredentials(req),
          errorResponseBuilder: (_req, ctx) =>
            new DomainError('RateLimited', 'rateLimited', { retryAfter: Math.ceil(ctx.ttl / 1000) }),
        },
      },
      schema: {
        tags,
        summary:
          'Submit a report from any channel (anonymous residents allowed). Idempotency-Key (≤ 100 chars): a retry with the same body replays the first answer, another body is 409',
        headers: z.looseObject({ 'idempotency-key': z.string().optional() }),
        querystring: z.strictObject({ lang }),
        body: reportBody,
        response: { 201: submitView },
      },
    },
    async (req, reply) => {
      const auth = await authenticateOptional(deps, req);
      const actor = auth?.actor ?? anonymousActor();
      const ctx = ctxOf(actor, req.id);
      const key = req.headers['idempotency-key'];
      if (key === undefined)
        return reply.status(201).send(await submitReport(deps, engine, ctx, req.body, settings));
      if (typeof key !== 'string' || !isIdempotencyKey(key))
        throw invalid('idempotencyKeyInvalid', { field: 'Idempotency-Key', reason: 'format' });
      const requestHash = createHash('sha256')
        .update(canonicalJson({ method: 'POST', path: '/api/reports', body: req.body }))
        .digest('hex');
      const r = await submitReportIdempotent(
        deps,
        engine,
        ctx,
        req.body,
        { key, principal: principalOf(actor, req.ip), requestHash },
        settings,
      );
      if (r.replayed) void reply.header('idempotent-replayed', 'true');
      return reply.status(r.statusCode as 201).send(r.body);
    },
  );

  app.get(
    '/api/reports',
    {
      schema: {
        tags,
        summary: 'Reports in the caller’s scope, newest first (phones masked); nextCursor continues',
        querystring: z.strictObject({
          channel: z.enum(CHANNELS).optional(),
          status: z.enum(REPORT_STATUS_FILTERS).optional(),
          triage: z.enum(['true', 'false']).optional(),
          unitId: id.optional(),
          from: z.string().max(40).optional(),
          to: z.string().max(40).optional(),
          limit: z.coerce.number().int().min(1).max(500).optional(),
          cursor: z.string().max(200).optional(),
          lang,
        }),
        response: { 200: z.object({ items: z.array(reportView), nextCursor: z.string().nullable() }) },
      },
    },
    async (req) => {
      const { actor } = await authenticate(deps, req);
      const { triage, lang: _lang, ...q } = req.query;
      return searchReports(deps, actor, {
        ...q,
        ...(triage === undefined ? {} : { triage: triage === 'true' }),
      });
    },
  );

  app.get(
    '/api/reports/triage',
    {
      schema: {
        tags,
        summary:
          'The triage queue: undecided reports whose triage unit is in the caller’s scope, oldest first, with the reason',
        querystring: z.strictObject({ limit: z.coerce.number().int().min(1).max(1000).optional(), lang }),
        response: { 200: z.object({ items: z.array(reportView) }) },
      },
    },
    async (req) => {
      const { actor } = await authenticate(deps, req);
      return { items: await triageQueue(deps, actor, req.query.limit) };
    },
  );

  app.get(
    '/api/reports/nearby',
    {
      schema: {
        tags,
        summary:
          'Open cases near a point, nearest first (public; no personal data): follow one instead of reporting again',
        querystring: z.strictObject({
          lng: queryNumber.pipe(z.number().min(-180).max(180)),
          lat: queryNumber.pipe(z.number().min(-90).max(90)),
          crs: z.enum(REPORT_CRS).optional(),
          category: categoryKey.optional(),
          radius: queryNumber.pipe(z.number().min(1).max(2000)).optional(),
          lang,
        }),
        response: {
          200: z.object({
            items: z.array(
              z.object({
                caseId: z.string(),
                caseCode: z.string(),
                category: categoryName.nullable(),
                location: point,
                distanceM: z.number(),
                openedAt: z.string(),
                reports: z.number(),
              }),
            ),
          }),
        },
      },
    },
    async (req) => {
      const q = req.query;
      return {
        items: await nearbyCases(
          deps,
          {
            lng: q.lng,
            lat: q.lat,
            ...(q.crs ? { crs: q.crs } : {}),
            ...(q.category ? { categoryKey: q.category } : {}),
            ...(q.radius ? { radiusM: q.radius } : {}),
          },
          settings,
        ),
      };
    },
  );

  app.post(
    '/api/reports/import',
    {
      bodyLimit: deps.config.uploadLimit,
      schema: {
        tags,
        summary:
          'Import reports from a CSV (text/csv) or JSON Lines (application/x-ndjson) file (reports:import): columns ticketId, receivedAt, category, description, lng, lat, crs, address, reporterName, reporterPhone; tickets already imported are skipped; bad rows are listed by line, the good ones imported',
        consumes: ['text/csv', 'application/x-ndjson'],
        querystring: z.strictObject({
          channel: z.enum(IMPORT_CHANNELS as [string, ...string[]]).default('hotline12345'),
          lang,
        }),
        response: { 200: importView },
      },
    },
    async (req) => {
      const { actor } = await authenticate(deps, req);
      const body = req.body as { format?: unknown; text?: unknown } | undefined;
      if (!body || (body.format !== 'csv' && body.format !== 'jsonl') || typeof body.text !== 'string')
        throw invalid('importFormat', {
          field: 'body',
          reason: 'contentType',
          contentType: req.headers['content-type'] ?? '',
        });
      const r = await importReports(
        deps,
        engine,
        ctxOf(actor, req.id),
        {
          channel: req.query.channel,
          format: body.format,
          text: body.text,
        },
        undefined,
        settings,
      );
      const l = pickLang(req.headers['accept-language'], req.query.lang);
      return {
        ...r,
        problems: r.problems.map((p) => ({ ...p, message: renderMessage(catalogue, p.key, l, { ...p }) })),
      };
    },
  );

  app.get(
    '/api/reports/:id',
    {
      schema: {
        tags,
        summary:
          'One report with its routing, case and photos (thumbnail and served-copy URLs, the original’s SHA-256); out of scope: 404, like a missing one',
        params: idParam,
        querystring: z.strictObject({ lang }),
        response: { 200: reportDetail },
      },
    },
    async (req) => getReport(deps, (await authenticate(deps, req)).actor, req.params.id),
  );

  app.post(
    '/api/reports/:id/assign',
    {
      schema: {
        tags,
        summary:
          'Dispatcher: set the category and responsible unit of a report’s case (the report itself is not changed)',
        params: idParam,
        querystring: z.strictObject({ lang }),
        body: z.strictObject({
          categoryKey: categoryKey.nullable().optional(),
          unitId: id,
          version: z.number().int().min(1).optional(),
        }),
        response: { 200: reportDetail },
      },
    },
    async (req) => {
      const { actor } = await authenticate(deps, req);
      const { categoryKey: key, unitId, version } = req.body;
      return assignReport(deps, ctxOf(actor, req.id), req.params.id, {
        unitId,
        ...(key === undefined ? {} : { categoryKey: key }),
        ...(version === undefined ? {} : { version }),
      });
    },
  );

  app.post(
    '/api/reports/:id/split',
    {
      schema: {
        tags,
        summary: 'Dispatcher: split a wrongly merged report off into a new case of its own',
        params: idParam,
        querystring: z.strictObject({ lang }),
        response: { 200: reportDetail },
      },
    },
    async (req) => splitReport(deps, ctxOf((await authenticate(deps, req)).actor, req.id), req.params.id),
  );

  app.get(
    '/api/track/:trackingCode',
    {
      schema: {
        tags,
        summary:
          'Public tracking of a report by its code: status, received time, category, public replies; no personal data',
        params: z.strictObject({ trackingCode: z.string().min(1).max(40) }),
        querystring: z.strictObject({ lang }),
        response: {
          200: z.object({
            trackingCode: z.string(),
            status: z.string(),
            receivedAt: z.string(),
            category: categoryName.nullable(),
            caseCode: z.string().nullable(),
            replies: z.array(z.object({ at: z.string(), text: z.string() })),
          }),
        },
      },
    },
    async (req) => trackReport(deps, req.params.trackingCode),
  );
}
