import rateLimit from '@fastify/rate-limit';
import { z } from 'zod';
import type { Deps } from '../deps.js';
import type { HttpServer } from '../platform/http/server.js';
import { DomainError, forbidden, unauthenticated } from '../platform/errors.js';
import { authenticateSession, login, logout } from './access.service.js';
import { listAudit, verifyAuditChain } from './audit.service.js';
import { authenticate, clearSessionCookie, setSessionCookie } from './auth.http.js';
import { ROLES, can, type Actor } from './roles.js';
import { createApiKey, createUser, listApiKeysFor, listUsers, resetPassword, revokeApiKeyById, setUserActive } from './users.service.js';

const unitView = z.object({ id: z.string(), code: z.string(), name: z.string(), nameEn: z.string().nullable(), kind: z.string() });
const signedInUser = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  role: z.string(),
  unit: unitView,
  permissions: z.array(z.string()),
});
const userView = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  role: z.string(),
  unit: z.object({ id: z.string(), name: z.string(), code: z.string(), kind: z.string() }),
  phone: z.string().nullable(),
  active: z.boolean(),
  version: z.number(),
});
const idParam = z.strictObject({ id: z.string().min(1).max(100) });
const ctxOf = (actor: Actor, requestId: string) => ({ actor, requestId });

export async function accessRoutes(app: HttpServer, deps: Deps): Promise<void> {
  await app.register(rateLimit, { global: false });

  app.post(
    '/api/auth/login',
    {
      config: {
        rateLimit: {
          max: deps.config.loginRateLimit,
          timeWindow: '1 minute',
          hook: 'preHandler',
          // Per address and account: a guesser is slowed on each account it tries.
          keyGenerator: (req) => `${req.ip}|${String((req.body as { username?: unknown } | undefined)?.username ?? '')}`,
          errorResponseBuilder: (_req, ctx) => new DomainError('RateLimited', 'rateLimited', { retryAfter: Math.ceil(ctx.ttl / 1000) }),
        },
      },
      schema: {
        tags: ['access'],
        summary: 'Sign in with username and password; sets the session cookie',
        body: z.strictObject({ username: z.string().min(1).max(100), password: z.string().min(1).max(256) }),
        response: { 200: z.object({ user: signedInUser, csrfToken: z.string() }) },
      },
    },
    async (req, reply) => {
      const { session } = await login(deps, {
        username: req.body.username,
        password: req.body.password,
        ip: req.ip,
        requestId: req.id,
        ...(req.headers['user-agent'] ? { userAgent: req.headers['user-agent'] } : {}),
      });
      setSessionCookie(deps, reply, session.token, session.expiresAt);
      // Read back what the new session sees, so the answer matches GET /api/me exactly.
      const s = await authenticateSession(deps, session.token);
      return { user: s.user, csrfToken: session.csrfToken };
    },
  );

  app.post(
    '/api/auth/logout',
    { schema: { tags: ['access'], summary: 'End the current session', response: { 204: z.null() } } },
    async (req, reply) => {
      const auth = await authenticate(deps, req);
      if (!auth.session) throw unauthenticated();
      await logout(deps, auth.actor, auth.session.id, req.id);
      clearSessionCookie(deps, reply);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/me',
    {
      schema: {
        tags: ['access'],
        summary: 'The signed-in user, its role, unit and permissions, and the CSRF token for writes',
        response: { 200: z.object({ user: signedInUser, csrfToken: z.string() }) },
      },
    },
    async (req) => {
      const auth = await authenticate(deps, req);
      if (!auth.session) throw unauthenticated();
      return { user: auth.session.user, csrfToken: auth.session.csrfToken };
    },
  );

  app.get(
    '/api/users',
    {
      schema: {
        tags: ['access'],
        summary: 'Users in the caller’s scope (phones masked)',
        querystring: z.strictObject({
          q: z.string().max(100).optional(),
          role: z.enum(ROLES).optional(),
          unitId: z.string().max(100).optional(),
          limit: z.coerce.number().int().min(1).max(1000).optional(),
          includeInactive: z.enum(['true', 'false']).optional(),
          lang: z.string().optional(),
        }),
        response: { 200: z.object({ items: z.array(userView) }) },
      },
    },
    async (req) => {
      const { actor } = await authenticate(deps, req);
      const { includeInactive, lang: _lang, ...rest } = req.query;
      return { items: await listUsers(deps, actor, { ...rest, includeInactive: includeInactive === 'true' }) };
    },
  );

  app.post(
    '/api/users',
    {
      schema: {
        tags: ['access'],
        summary: 'Create a user',
        body: z.strictObject({
          username: z.string().min(1).max(40),
          displayName: z.string().min(1).max(100),
          password: z.string().min(1).max(256),
          role: z.enum(ROLES),
          unitId: z.string().min(1).max(100),
          phone: z.string().regex(/^\+?\d{5,20}$/).nullable().optional(),
        }),
        response: { 201: userView },
      },
    },
    async (req, reply) => {
      const { actor } = await authenticate(deps, req);
      const user = await createUser(deps, ctxOf(actor, req.id), req.body);
      return reply.status(201).send(user);
    },
  );

  app.post(
    '/api/users/:id/password',
    {
      schema: {
        tags: ['access'],
        summary: 'Reset a user’s password (ends its sessions)',
        params: idParam,
        body: z.strictObject({ password: z.string().min(1).max(256) }),
        response: { 204: z.null() },
      },
    },
    async (req, reply) => {
      const { actor } = await authenticate(deps, req);
      await resetPassword(deps, ctxOf(actor, req.id), req.params.id, req.body.password);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/users/:id/active',
    {
      schema: {
        tags: ['access'],
        summary: 'Activate or deactivate a user (never deleted)',
        params: idParam,
        body: z.strictObject({ active: z.boolean() }),
        response: { 204: z.null() },
      },
    },
    async (req, reply) => {
      const { actor } = await authenticate(deps, req);
      await setUserActive(deps, ctxOf(actor, req.id), req.params.id, req.body.active);
      return reply.status(204).send(null);
    },
  );

  const apiKeyView = z.object({
    id: z.string(),
    name: z.string(),
    prefix: z.string(),
    unit_id: z.string(),
    permissions: z.array(z.string()),
    created_at: z.string(),
    revoked_at: z.string().nullable(),
    last_used_at: z.string().nullable(),
  });
  app.get(
    '/api/api-keys',
    { schema: { tags: ['access'], summary: 'API keys (never their secrets)', response: { 200: z.object({ items: z.array(apiKeyView) }) } } },
    async (req) => {
      const { actor } = await authenticate(deps, req);
      return { items: await listApiKeysFor(deps, actor) };
    },
  );
  app.post(
    '/api/api-keys',
    {
      schema: {
        tags: ['access'],
        summary: 'Create an API key bound to a unit and permissions; the key is returned once',
        body: z.strictObject({ name: z.string().min(1).max(100), unitId: z.string().min(1).max(100), permissions: z.array(z.string().max(50)).min(1).max(50) }),
        response: { 201: z.object({ id: z.string(), key: z.string(), prefix: z.string(), permissions: z.array(z.string()) }) },
      },
    },
    async (req, reply) => {
      const { actor } = await authenticate(deps, req);
      return reply.status(201).send(await createApiKey(deps, ctxOf(actor, req.id), req.body));
    },
  );
  app.delete(
    '/api/api-keys/:id',
    { schema: { tags: ['access'], summary: 'Revoke an API key', params: idParam, response: { 204: z.null() } } },
    async (req, reply) => {
      const { actor } = await authenticate(deps, req);
      await revokeApiKeyById(deps, ctxOf(actor, req.id), req.params.id);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/audit',
    {
      schema: {
        tags: ['access'],
        summary: 'Audit entries, newest first',
        querystring: z.strictObject({
          entity: z.string().max(50).optional(),
          entityId: z.string().max(100).optional(),
          limit: z.coerce.number().int().min(1).max(500).optional(),
          beforeSeq: z.coerce.number().int().min(1).optional(),
          lang: z.string().optional(),
        }),
      },
    },
    async (req) => {
      const { actor } = await authenticate(deps, req);
      const { lang: _lang, ...filter } = req.query;
      return { items: await listAudit(deps, actor, filter) };
    },
  );
  app.get(
    '/api/audit/verify',
    { schema: { tags: ['access'], summary: 'Walk the audit hash chain and report the first bad entry' } },
    async (req) => {
      const { actor } = await authenticate(deps, req);
      if (!can(actor, 'audit:read')) throw forbidden();
      return verifyAuditChain(deps);
    },
  );
}
