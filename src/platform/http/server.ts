import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import Fastify, { type FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import helmet from 'helmet';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Logger } from 'pino';
import { makeErrorHandler, makeNotFoundHandler } from './errors.js';
import type { MessageCatalogue } from './messages.js';

export type HttpServer = FastifyInstance<Server, IncomingMessage, ServerResponse, Logger, ZodTypeProvider>;

export interface HttpServerOptions {
  logger: Logger;
  bodyLimit: number;
  messages: MessageCatalogue;
  secret: string;
  version: string;
  /** Probes for /readyz. */
  ready: () => Promise<void>;
  /** The web console's index.html, for client-side routes. */
  spaIndexHtml?: () => string | undefined;
}

/**
 * The HTTP platform: zod validation and serialisation, OpenAPI from the same schemas, one error
 * handler, security headers, request ids, cookies, health probes and Prometheus metrics. Capability
 * routes are registered on the returned instance by the application.
 */
export async function createHttpServer(
  opts: HttpServerOptions,
): Promise<{ app: HttpServer; metrics: Registry }> {
  const app = Fastify({
    loggerInstance: opts.logger,
    bodyLimit: opts.bodyLimit,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w.-]{1,64}$/.test(given) ? given : randomUUID();
    },
    ajv: { customOptions: { removeAdditional: false } },
  }).withTypeProvider<ZodTypeProvider>() as unknown as HttpServer;

  // The API speaks JSON (and, where a route adds it, forms and multipart): plain text is refused with 415.
  app.removeContentTypeParser('text/plain');
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(makeErrorHandler(opts.messages));
  app.setNotFoundHandler(makeNotFoundHandler(opts.messages, opts.spaIndexHtml));

  app.addHook('onSend', async (req, reply) => {
    void reply.header('x-request-id', req.id);
  });

  // Security headers (CSP and the rest) on every response. helmet's middleware is built once here; the
  // fastify plugin rebuilt it on every request (a tenth of a cheap request's time).
  const securityHeaders = helmet({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"], // Ant Design injects its styles at run time
        imgSrc: ["'self'", 'data:', 'blob:'],
        workerSrc: ["'self'", 'blob:'], // MapLibre runs its workers from blob: URLs
        connectSrc: ["'self'"],
        fontSrc: ["'self'", 'data:'],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
      },
    },
    crossOriginEmbedderPolicy: false,
  });
  app.addHook('onRequest', (req, reply, done) => {
    securityHeaders(req.raw, reply.raw, (err?: unknown) => done(err instanceof Error ? err : undefined));
  });
  await app.register(cookie, { secret: opts.secret });

  // Metrics: a registry of our own (no global singleton), request durations by route, pool and queue
  // gauges filled by the application.
  const metrics = new Registry();
  collectDefaultMetrics({ register: metrics, prefix: 'onegrid_' });
  const duration = new Histogram({
    name: 'onegrid_http_request_duration_seconds',
    help: 'HTTP request duration by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
    registers: [metrics],
  });
  app.addHook('onResponse', async (req, reply) => {
    duration.observe(
      { method: req.method, route: req.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'OneGrid API',
        description:
          'The JSON API of OneGrid. Errors answer { error: { code, message, details } } in the language of Accept-Language (zh-CN or en).',
        version: opts.version,
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'og_session' },
          csrf: { type: 'apiKey', in: 'header', name: 'x-csrf-token' },
          apiKey: {
            type: 'http',
            scheme: 'bearer',
            description: 'API key og_xxxxxxxx_… for machine clients',
          },
        },
      },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, {
    routePrefix: '/api/docs',
    uiConfig: { docExpansion: 'list', deepLinking: false },
  });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: { hide: true } }, async (_req, reply) => {
    try {
      await opts.ready();
      return { status: 'ready' };
    } catch (e) {
      return reply
        .status(503)
        .send({ status: 'unavailable', reason: e instanceof Error ? e.message : String(e) });
    }
  });
  app.get('/metrics', { schema: { hide: true } }, async (_req, reply) => {
    return reply.type(metrics.contentType).send(await metrics.metrics());
  });

  return { app, metrics };
}
