import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../deps.js';
import { DomainError, unauthenticated } from '../platform/errors.js';
import { authenticateApiKey, authenticateSession, type SignedInUser } from './access.service.js';
import type { Actor } from './roles.js';

export const SESSION_COOKIE = 'og_session';
const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export interface Authenticated {
  actor: Actor;
  /** Present for cookie sessions. */
  session?: { id: string; csrfToken: string; user: SignedInUser };
}

function apiKeyOf(req: FastifyRequest): string | undefined {
  const auth = req.headers.authorization;
  if (typeof auth === 'string' && auth.startsWith('Bearer ')) return auth.slice(7).trim();
  const h = req.headers['x-api-key'];
  return typeof h === 'string' ? h : undefined;
}

/**
 * Who is calling: an API key (Authorization: Bearer og_… or X-Api-Key) or the session cookie. Cookie
 * sessions must send the session's CSRF token in x-csrf-token on every write; API keys are not sent
 * by browsers on their own, so they need none.
 */
export async function authenticate(deps: Deps, req: FastifyRequest): Promise<Authenticated> {
  const key = apiKeyOf(req);
  if (key) return { actor: await authenticateApiKey(deps, key) };
  const raw = req.cookies[SESSION_COOKIE];
  if (!raw) throw unauthenticated();
  const unsigned = req.unsignCookie(raw);
  if (!unsigned.valid || !unsigned.value) throw unauthenticated();
  const s = await authenticateSession(deps, unsigned.value);
  if (WRITE_METHODS.has(req.method) && req.headers['x-csrf-token'] !== s.csrfToken) {
    throw new DomainError('Forbidden', 'csrfMissing', { header: 'x-csrf-token' });
  }
  return { actor: s.actor, session: { id: s.sessionId, csrfToken: s.csrfToken, user: s.user } };
}

/** Whether the request carries credentials (an API key or a session cookie), valid or not. */
export const hasCredentials = (req: FastifyRequest): boolean =>
  apiKeyOf(req) !== undefined || Boolean(req.cookies[SESSION_COOKIE]);

/** Like authenticate, but answers undefined for an anonymous caller (public pages). */
export async function authenticateOptional(deps: Deps, req: FastifyRequest): Promise<Authenticated | undefined> {
  if (!hasCredentials(req)) return undefined;
  return authenticate(deps, req);
}

export function setSessionCookie(deps: Deps, reply: FastifyReply, token: string, expiresAt: string): void {
  void reply.setCookie(SESSION_COOKIE, token, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: deps.config.secureCookies,
    signed: true,
    expires: new Date(expiresAt),
  });
}

export function clearSessionCookie(deps: Deps, reply: FastifyReply): void {
  void reply.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'lax', secure: deps.config.secureCookies });
}
