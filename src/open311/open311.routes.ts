/**
 * Open311 GeoReport v2 over HTTP, registered under /open311/v2: each resource in `.json` and `.xml`,
 * errors in the spec's own format (`[{ code, description }]` / `<errors><error>…`) from this plugin's own
 * error and not-found handlers, so the rest of the API keeps its `{ error: … }` envelope.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import formbody from '@fastify/formbody';
import type { Deps } from '../deps.js';
import type { HttpServer } from '../platform/http/server.js';
import { DomainError, isDomainError, type ErrorCode } from '../platform/errors.js';
import { platformMessages, renderMessage, type MessageCatalogue } from '../platform/http/messages.js';
import { accessMessages } from '../access/access.messages.js';
import { categoryMessages } from '../registry/categories.messages.js';
import { partiesMessages } from '../registry/parties.messages.js';
import { reportMessages } from '../intake/reports.messages.js';
import { routingMessages } from '../routing/routing.messages.js';
import type { RoutingEngine } from '../routing/routing.service.js';
import { open311Messages } from './open311.messages.js';
import {
  FORMATS,
  discoveryOf,
  discoveryXml,
  formatOfUrl,
  langOf,
  listXml,
  serviceDefinitionXml,
  single,
  splitFormat,
  type Format,
  type Lang,
  type Open311Error,
  type RawParams,
} from './open311.js';
import {
  checkJurisdiction,
  getRequest,
  getServiceDefinition,
  listRequests,
  listServices,
  listUpdates,
  resolveToken,
  submitServiceRequest,
  type PresentContext,
} from './open311.service.js';

/** Open311 status codes for our domain error codes: a bad api_key is the spec's 403, not our 401. */
const OPEN311_STATUS: Record<ErrorCode, number> = {
  Invalid: 400,
  Unauthenticated: 403,
  Forbidden: 403,
  NotFound: 404,
  Conflict: 409,
  PayloadTooLarge: 413,
  UnsupportedMediaType: 415,
  DeadlineUnknown: 422,
  RateLimited: 429,
  Unavailable: 503,
};

export interface Open311Options {
  /** The routing engine intake routes reports with (app.ts builds one per process); needed for POST. */
  engine?: RoutingEngine;
  /** Message catalogues of the capabilities whose refusals a POST may pass on (intake, routing …). */
  messages?: MessageCatalogue;
}

const asParams = (v: unknown): RawParams =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as RawParams) : {};

/** The caller's language: ?locale= (or the form's locale) first, then Accept-Language. */
const langOfRequest = (req: FastifyRequest): Lang => {
  const q = asParams(req.query);
  const b = asParams(req.body);
  return langOf(q.locale ?? b.locale, req.headers['accept-language']);
};

function send(reply: FastifyReply, format: Format, status: number, json: unknown, xml: () => string) {
  void reply.status(status);
  if (format === 'xml') return reply.type('text/xml; charset=utf-8').send(xml());
  return reply.type('application/json; charset=utf-8').send(JSON.stringify(json));
}

function sendErrors(reply: FastifyReply, format: Format, status: number, description: string) {
  const errors: Open311Error[] = [{ code: status, description }];
  return send(reply, format, status, errors, () => listXml('errors', errors));
}

export async function open311Routes(app: HttpServer, deps: Deps, opts: Open311Options = {}): Promise<void> {
  // Refusals passed on from intake, routing and the registry keep their own texts.
  const catalogue: MessageCatalogue = {
    ...platformMessages,
    ...accessMessages,
    ...categoryMessages,
    ...partiesMessages,
    ...routingMessages,
    ...reportMessages,
    ...opts.messages,
    ...open311Messages,
  };
  const text = (key: string, lang: Lang, details: Record<string, unknown> = {}) =>
    renderMessage(catalogue, key, lang, details);

  // The spec posts forms (application/x-www-form-urlencoded); JSON bodies are read the same way.
  if (!app.hasContentTypeParser('application/x-www-form-urlencoded')) await app.register(formbody);

  app.setErrorHandler((err: FastifyError, req, reply) => {
    const format = formatOfUrl(req.url);
    const lang = langOfRequest(req);
    if (isDomainError(err)) {
      const status = OPEN311_STATUS[err.code];
      if (err.code === 'RateLimited' && typeof err.details.retryAfter === 'number')
        void reply.header('retry-after', String(err.details.retryAfter));
      if (status >= 500) req.log.error({ err }, 'open311: service unavailable');
      return sendErrors(reply, format, status, text(err.messageKey, lang, err.details));
    }
    switch (err.code) {
      case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
        return sendErrors(
          reply,
          format,
          415,
          text('unsupportedMediaType', lang, { contentType: req.headers['content-type'] ?? '' }),
        );
      case 'FST_ERR_CTP_BODY_TOO_LARGE':
        return sendErrors(
          reply,
          format,
          413,
          text('payloadTooLarge', lang, { limit: req.routeOptions.bodyLimit }),
        );
      case 'FST_ERR_CTP_EMPTY_JSON_BODY':
        return sendErrors(reply, format, 400, text('emptyBody', lang));
      case 'FST_ERR_CTP_INVALID_JSON_BODY':
        return sendErrors(reply, format, 400, text('invalidJson', lang));
      default:
        break;
    }
    const status = err.statusCode ?? 500;
    if (status >= 400 && status < 500) return sendErrors(reply, format, status, text('Invalid', lang));
    req.log.error({ err }, 'open311: unhandled error');
    return sendErrors(reply, format, 500, text('internal', lang, { requestId: req.id }));
  });

  app.setNotFoundHandler((req, reply) => {
    const url = req.url.split('?')[0] ?? '';
    return sendErrors(
      reply,
      formatOfUrl(req.url),
      404,
      text('open311RouteUnknown', langOfRequest(req), { method: req.method, url }),
    );
  });

  const present = (req: FastifyRequest): PresentContext => ({
    lang: langOfRequest(req),
    origin: `${req.protocol}://${req.host}`,
    engine: opts.engine,
  });
  const routeSchema = (summary: string) => ({ schema: { tags: ['open311'], summary } });
  const jurisdiction = (req: FastifyRequest) =>
    checkJurisdiction(deps, single(asParams(req.query), 'jurisdiction_id'));

  /** A `{id}.{format}` path segment, or the spec's 404 when the format is neither json nor xml. */
  const segment = (req: FastifyRequest, reply: FastifyReply): { id: string; format: Format } | undefined => {
    const file = (req.params as { file?: string }).file ?? '';
    const s = splitFormat(file);
    if (!s)
      void sendErrors(
        reply,
        formatOfUrl(req.url),
        404,
        text('open311RouteUnknown', langOfRequest(req), {
          method: req.method,
          url: req.url.split('?')[0] ?? '',
        }),
      );
    return s ?? undefined;
  };

  for (const format of FORMATS) {
    app.get(`/discovery.${format}`, routeSchema('Open311 service discovery'), async (req, reply) => {
      const lang = langOfRequest(req);
      const base = `${req.protocol}://${req.host}${req.url.split('?')[0]?.replace(/\/discovery\.\w+$/, '') ?? '/open311/v2'}`;
      const d = discoveryOf(base, lang);
      return send(reply, format, 200, d, () => discoveryXml(d));
    });

    app.get(
      `/services.${format}`,
      routeSchema('Open311 services: the active problem categories'),
      async (req, reply) => {
        await jurisdiction(req);
        const services = await listServices(deps, langOfRequest(req));
        return send(reply, format, 200, services, () => listXml('services', services));
      },
    );

    app.get(
      `/requests.${format}`,
      routeSchema(
        'Open311 service requests (service_request_id, service_code, start_date, end_date, status)',
      ),
      async (req, reply) => {
        await jurisdiction(req);
        const requests = await listRequests(deps, asParams(req.query), present(req));
        return send(reply, format, 200, requests, () => listXml('requests', requests));
      },
    );

    app.post(
      `/requests.${format}`,
      routeSchema('Open311: create a service request (form-encoded, api_key)'),
      async (req, reply) => {
        const body = asParams(req.body);
        const query = asParams(req.query);
        const apiKey = single(body, 'api_key') ?? single(query, 'api_key');
        await checkJurisdiction(deps, single(body, 'jurisdiction_id') ?? single(query, 'jurisdiction_id'));
        if (!opts.engine) throw new DomainError('Unavailable', 'unavailable', { reason: 'noRoutingEngine' });
        const idem = req.headers['idempotency-key'];
        const receipts = await submitServiceRequest(deps, opts.engine, apiKey, body, {
          requestId: req.id,
          lang: langOfRequest(req),
          ...(typeof idem === 'string' ? { idempotencyKey: idem } : {}),
        });
        return send(reply, format, 200, receipts, () => listXml('requests', receipts));
      },
    );

    app.get(
      `/servicerequestupdates.${format}`,
      routeSchema('Open311 (mySociety): updates of service requests between start_date and end_date'),
      async (req, reply) => {
        await jurisdiction(req);
        const updates = await listUpdates(deps, asParams(req.query), present(req));
        return send(reply, format, 200, updates, () => listXml('updates', updates));
      },
    );
  }

  // The Swagger file of the Open311 community spells this path /request/{id}; the spec says /requests/{id}.
  for (const path of ['/requests/:file', '/request/:file']) {
    app.get(
      path,
      routeSchema('Open311 one service request ({service_request_id}.json|xml)'),
      async (req, reply) => {
        const s = segment(req, reply);
        if (!s) return reply;
        await jurisdiction(req);
        const requests = await getRequest(deps, s.id, present(req));
        return send(reply, s.format, 200, requests, () => listXml('requests', requests));
      },
    );
  }

  app.get(
    '/tokens/:file',
    routeSchema('Open311: the service_request_id of a token ({token}.json|xml)'),
    async (req, reply) => {
      const s = segment(req, reply);
      if (!s) return reply;
      await jurisdiction(req);
      const tokens = await resolveToken(deps, s.id);
      return send(reply, s.format, 200, tokens, () => listXml('requests', tokens));
    },
  );

  app.get(
    '/services/:file',
    routeSchema('Open311 service definition ({service_code}.json|xml)'),
    async (req, reply) => {
      const s = segment(req, reply);
      if (!s) return reply;
      await jurisdiction(req);
      const d = await getServiceDefinition(deps, s.id);
      return send(reply, s.format, 200, d, () => serviceDefinitionXml(d));
    },
  );
}
