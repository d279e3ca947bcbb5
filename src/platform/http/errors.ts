import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { isDomainError, type ErrorCode } from '../errors.js';
import { pickLang, renderMessage, type MessageCatalogue } from './messages.js';

/** The only place that knows HTTP statuses for domain error codes. */
export const STATUS_OF: Record<ErrorCode, number> = {
  Invalid: 400,
  Unauthenticated: 401,
  Forbidden: 403,
  NotFound: 404,
  Conflict: 409,
  PayloadTooLarge: 413,
  UnsupportedMediaType: 415,
  DeadlineUnknown: 422,
  RateLimited: 429,
  Unavailable: 503,
};

export interface ErrorBody {
  error: { code: string; message: string; details: Record<string, unknown> };
}

const langOf = (req: FastifyRequest) =>
  pickLang(req.headers['accept-language'], (req.query as Record<string, string> | undefined)?.lang);

/**
 * The one HTTP error handler: domain errors by code, schema validation with the fields named, the
 * framework's own 4xx (bad JSON, too large, wrong content type), and anything else as a logged 500.
 */
export function makeErrorHandler(catalogue: MessageCatalogue) {
  return function errorHandler(err: FastifyError, req: FastifyRequest, reply: FastifyReply) {
    const lang = langOf(req);
    const send = (status: number, code: string, key: string, details: Record<string, unknown>) => {
      const body: ErrorBody = { error: { code, message: renderMessage(catalogue, key, lang, details), details } };
      return reply.status(status).type('application/json; charset=utf-8').send(body);
    };

    if (isDomainError(err)) {
      if (err.code === 'RateLimited' && typeof err.details.retryAfter === 'number') {
        void reply.header('retry-after', String(err.details.retryAfter));
      }
      return send(STATUS_OF[err.code], err.code, err.messageKey, err.details);
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      const issues = err.validation.map((v) => {
        const issue = v.params.issue as { code?: string; message?: string } | undefined;
        return {
          field: [err.validationContext ?? 'body', ...String(v.instancePath).split('/').filter(Boolean)].join('.'),
          problem: issue?.code ?? 'invalid',
          message: v.message ?? issue?.message ?? 'invalid',
        };
      });
      const summary = issues
        .slice(0, 5)
        .map((i) => `${i.field}: ${i.message}`)
        .join('; ');
      return send(400, 'Invalid', 'invalidBody', { summary, issues });
    }
    if (isResponseSerializationError(err)) {
      req.log.error({ err }, 'response does not match its schema');
      return send(500, 'Internal', 'internal', { requestId: req.id });
    }
    switch (err.code) {
      case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
        return send(415, 'UnsupportedMediaType', 'unsupportedMediaType', { contentType: req.headers['content-type'] ?? '' });
      case 'FST_ERR_CTP_BODY_TOO_LARGE':
        return send(413, 'PayloadTooLarge', 'payloadTooLarge', { limit: req.routeOptions.bodyLimit });
      case 'FST_ERR_CTP_EMPTY_JSON_BODY':
        return send(400, 'Invalid', 'emptyBody', { field: 'body' });
      case 'FST_ERR_CTP_INVALID_JSON_BODY':
        return send(400, 'Invalid', 'invalidJson', { field: 'body' });
      default:
        break;
    }
    if (err instanceof SyntaxError || (err.statusCode === 400 && /JSON/i.test(err.name))) {
      return send(400, 'Invalid', 'invalidJson', { field: 'body' });
    }
    const status = err.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      const code = status === 413 ? 'PayloadTooLarge' : status === 415 ? 'UnsupportedMediaType' : status === 404 ? 'NotFound' : 'Invalid';
      return send(status, code, code === 'Invalid' ? 'Invalid' : code === 'NotFound' ? 'notFound' : code === 'PayloadTooLarge' ? 'payloadTooLarge' : 'unsupportedMediaType', {
        reason: err.code ?? err.message,
        limit: req.routeOptions.bodyLimit,
        contentType: req.headers['content-type'] ?? '',
      });
    }
    req.log.error({ err }, 'unhandled error');
    return send(500, 'Internal', 'internal', { requestId: req.id });
  };
}

/** 404 for the API; for a browser asking for a client-side route of the console, the console's page. */
export function makeNotFoundHandler(catalogue: MessageCatalogue, spaIndexHtml?: () => string | undefined) {
  return function notFoundHandler(req: FastifyRequest, reply: FastifyReply) {
    const path = req.url.split('?')[0] ?? '';
    if (spaIndexHtml && req.method === 'GET' && !/^\/(api|open311|metrics|healthz|readyz)(\/|$)/.test(path) && !/\.\w+$/.test(path)) {
      const html = spaIndexHtml();
      if (html) return reply.status(200).type('text/html; charset=utf-8').send(html);
    }
    const details = { method: req.method, url: req.url.split('?')[0] ?? '' };
    const body: ErrorBody = { error: { code: 'NotFound', message: renderMessage(catalogue, 'routeNotFound', langOf(req), details), details } };
    return reply.status(404).send(body);
  };
}
