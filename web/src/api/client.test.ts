import { describe, expect, it } from 'vitest';
import { ApiClient, ApiError, parseErrorBody } from './client';

interface Seen {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: unknown;
}

/** A client whose fetch records the request and answers with the given status and body. */
function clientAnswering(status: number, body: unknown, options: { language?: string; raw?: string } = {}) {
  const seen: Seen[] = [];
  const unauthenticated: ApiError[] = [];
  let language = options.language ?? 'zh-CN';
  const client = new ApiClient({
    getLanguage: () => language,
    onUnauthenticated: (e) => unauthenticated.push(e),
    fetchImpl: (input, init) => {
      seen.push({
        url: String(input),
        method: init?.method ?? 'GET',
        headers: { ...(init?.headers as Record<string, string>) },
        body: init?.body,
      });
      const text = options.raw ?? (body === undefined ? '' : JSON.stringify(body));
      return Promise.resolve(new Response(status === 204 ? null : text, { status }));
    },
  });
  return { client, seen, unauthenticated, setLanguage: (l: string) => (language = l) };
}

describe('ApiClient', () => {
  it('sends the CSRF token on every write and never on a read', async () => {
    const { client, seen } = clientAnswering(200, { ok: true });
    client.setCsrfToken('tok-1');
    await client.get('/api/me');
    await client.post('/api/x', { a: 1 });
    await client.put('/api/x', {});
    await client.patch('/api/x', {});
    await client.delete('/api/x');
    expect(seen.map((r) => [r.method, r.headers['x-csrf-token']])).toEqual([
      ['GET', undefined],
      ['POST', 'tok-1'],
      ['PUT', 'tok-1'],
      ['PATCH', 'tok-1'],
      ['DELETE', 'tok-1'],
    ]);
    expect(seen[1]?.body).toBe('{"a":1}');
    expect(seen[1]?.headers['Content-Type']).toBe('application/json');
  });

  it('sends no body and no JSON content type when there is nothing to send', async () => {
    const { client, seen } = clientAnswering(204, undefined);
    await expect(client.post('/api/auth/logout')).resolves.toBeUndefined();
    expect(seen[0]?.body).toBeUndefined();
    expect(seen[0]?.headers['Content-Type']).toBeUndefined();
  });

  it('asks for the current language on each request', async () => {
    const { client, seen, setLanguage } = clientAnswering(200, {});
    await client.get('/api/me');
    setLanguage('en');
    await client.get('/api/me');
    expect(seen.map((r) => r.headers['Accept-Language'])).toEqual(['zh-CN', 'en']);
  });

  it('turns an error body into an ApiError with the server’s code, message and details', async () => {
    const { client } = clientAnswering(400, {
      error: { code: 'Invalid', message: '字段无效', details: { field: 'username' } },
    });
    const error = await client.post('/api/x', {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      status: 400,
      code: 'Invalid',
      message: '字段无效',
      details: { field: 'username' },
      fromServer: true,
    });
  });

  it('derives the code from the status when the body is not an error body', async () => {
    const { client } = clientAnswering(429, undefined, { raw: 'Too Many Requests' });
    await expect(client.post('/api/auth/login', {})).rejects.toMatchObject({
      status: 429,
      code: 'RateLimited',
      fromServer: false,
    });
  });

  it('reports a lost session, except where a 401 is an expected answer', async () => {
    const body = { error: { code: 'Unauthenticated', message: '未登录', details: {} } };
    const { client, unauthenticated } = clientAnswering(401, body);
    await client.get('/api/me', { expectUnauthenticated: true }).catch(() => undefined);
    expect(unauthenticated).toHaveLength(0);
    await client.get('/api/cases').catch(() => undefined);
    expect(unauthenticated.map((e) => e.code)).toEqual(['Unauthenticated']);
  });

  it('raises NetworkError when the server cannot be reached', async () => {
    const client = new ApiClient({
      getLanguage: () => 'zh-CN',
      fetchImpl: () => Promise.reject(new TypeError('fetch failed')),
    });
    await expect(client.get('/api/me')).rejects.toMatchObject({ code: 'NetworkError', status: 0 });
  });

  it('puts defined query parameters in the URL', async () => {
    const { client, seen } = clientAnswering(200, []);
    await client.get('/api/cases', { query: { status: 'open', limit: 20, q: undefined } });
    expect(seen[0]?.url).toBe('/api/cases?status=open&limit=20');
  });
});

describe('parseErrorBody', () => {
  it('accepts only the { error: { code, message, details } } shape', () => {
    expect(parseErrorBody({ error: { code: 'NotFound', message: 'x' } })).toEqual({
      code: 'NotFound',
      message: 'x',
      details: {},
    });
    expect(parseErrorBody({ error: 'boom' })).toBeNull();
    expect(parseErrorBody({ message: 'x' })).toBeNull();
    expect(parseErrorBody(null)).toBeNull();
  });
});
