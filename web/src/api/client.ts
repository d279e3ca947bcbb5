// The one way the console talks to the server: same origin, cookie session, the CSRF token on every
// write, the console's language in Accept-Language (the server localises error messages by it), and
// error bodies `{ error: { code, message, details } }` turned into ApiError.

/** Codes the server answers with (src/platform/errors.ts), plus two the client raises itself. */
export type ServerErrorCode =
  | 'Invalid'
  | 'NotFound'
  | 'Forbidden'
  | 'Unauthenticated'
  | 'Conflict'
  | 'RateLimited'
  | 'PayloadTooLarge'
  | 'UnsupportedMediaType'
  | 'DeadlineUnknown'
  | 'Unavailable';
export type ClientErrorCode = 'NetworkError' | 'BadResponse';
/** A server code this console does not know yet is kept as it came, not dropped. */
export type ApiErrorCode = ServerErrorCode | ClientErrorCode | (string & {});

export class ApiError extends Error {
  readonly status: number;
  readonly code: ApiErrorCode;
  readonly details: Readonly<Record<string, unknown>>;
  /** True when `message` came from the server (already in the request's language). */
  readonly fromServer: boolean;

  constructor(init: {
    status: number;
    code: ApiErrorCode;
    message: string;
    details?: Record<string, unknown>;
    fromServer: boolean;
  }) {
    super(init.message);
    this.name = 'ApiError';
    this.status = init.status;
    this.code = init.code;
    this.details = init.details ?? {};
    this.fromServer = init.fromServer;
  }
}

export const isApiError = (e: unknown): e is ApiError => e instanceof ApiError;

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** When a status comes without a readable error body, the code it most likely means. */
function codeForStatus(status: number): ApiErrorCode {
  switch (status) {
    case 400:
      return 'Invalid';
    case 401:
      return 'Unauthenticated';
    case 403:
      return 'Forbidden';
    case 404:
      return 'NotFound';
    case 409:
      return 'Conflict';
    case 413:
      return 'PayloadTooLarge';
    case 415:
      return 'UnsupportedMediaType';
    case 429:
      return 'RateLimited';
    case 503:
      return 'Unavailable';
    default:
      return 'BadResponse';
  }
}

/** Reads `{ error: { code, message, details } }`; null when the body is not that shape. */
export function parseErrorBody(
  body: unknown,
): { code: string; message: string; details: Record<string, unknown> } | null {
  if (typeof body !== 'object' || body === null || !('error' in body)) return null;
  const error = (body as { error: unknown }).error;
  if (typeof error !== 'object' || error === null) return null;
  const { code, message, details } = error as { code?: unknown; message?: unknown; details?: unknown };
  if (typeof code !== 'string') return null;
  return {
    code,
    message: typeof message === 'string' ? message : '',
    details: typeof details === 'object' && details !== null ? (details as Record<string, unknown>) : {},
  };
}

export interface ApiClientOptions {
  /** The language to ask the server for; read on every request so a switch applies at once. */
  getLanguage: () => string;
  /** Called when any request other than the session probe answers 401 (the session has ended). */
  onUnauthenticated?: (error: ApiError) => void;
  /** For tests; defaults to the global fetch. */
  fetchImpl?: typeof fetch;
  baseUrl?: string;
}

export interface RequestOptions {
  query?: Readonly<Record<string, string | number | boolean | undefined>>;
  body?: unknown;
  signal?: AbortSignal;
  /** Do not report a 401 to onUnauthenticated (used by the login form and the session probe). */
  expectUnauthenticated?: boolean;
}

export class ApiClient {
  private csrfToken: string | null = null;
  private readonly options: ApiClientOptions;

  constructor(options: ApiClientOptions) {
    this.options = options;
  }

  /** The token the server handed out with the session (login and /api/me); sent on every write. */
  setCsrfToken(token: string | null): void {
    this.csrfToken = token;
  }

  get<T>(path: string, options?: Omit<RequestOptions, 'body'>): Promise<T> {
    return this.request<T>('GET', path, options);
  }
  post<T>(path: string, body?: unknown, options?: RequestOptions): Promise<T> {
    return this.request<T>('POST', path, { ...options, body });
  }
  put<T>(path: string, body?: unknown, options?: RequestOptions): Promise<T> {
    return this.request<T>('PUT', path, { ...options, body });
  }
  patch<T>(path: string, body?: unknown, options?: RequestOptions): Promise<T> {
    return this.request<T>('PATCH', path, { ...options, body });
  }
  delete<T>(path: string, options?: RequestOptions): Promise<T> {
    return this.request<T>('DELETE', path, options);
  }

  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const headers: Record<string, string> = {
      Accept: 'application/json',
      'Accept-Language': this.options.getLanguage(),
    };
    if (WRITE_METHODS.has(method) && this.csrfToken !== null) headers['x-csrf-token'] = this.csrfToken;
    let body: BodyInit | undefined;
    if (options.body !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(options.body);
    }

    const fetchImpl = this.options.fetchImpl ?? fetch;
    let response: Response;
    try {
      response = await fetchImpl(this.url(path, options.query), {
        method,
        headers,
        body,
        credentials: 'same-origin',
        signal: options.signal,
      });
    } catch (e) {
      if (e instanceof DOMException && e.name === 'AbortError') throw e;
      throw new ApiError({ status: 0, code: 'NetworkError', message: String(e), fromServer: false });
    }

    if (response.status === 204) return undefined as T;
    const text = await response.text();
    let parsed: unknown = undefined;
    if (text.length > 0) {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = undefined;
      }
    }

    if (!response.ok) {
      const body = parseErrorBody(parsed);
      const error = body
        ? new ApiError({ status: response.status, ...body, fromServer: body.message !== '' })
        : new ApiError({
            status: response.status,
            code: codeForStatus(response.status),
            message: `HTTP ${response.status}`,
            fromServer: false,
          });
      if (error.status === 401 && !options.expectUnauthenticated) this.options.onUnauthenticated?.(error);
      throw error;
    }
    if (text.length > 0 && parsed === undefined) {
      throw new ApiError({
        status: response.status,
        code: 'BadResponse',
        message: 'response is not JSON',
        fromServer: false,
      });
    }
    return parsed as T;
  }

  private url(path: string, query: RequestOptions['query']): string {
    const base = this.options.baseUrl ?? '';
    if (!query) return base + path;
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined) params.set(key, String(value));
    }
    const qs = params.toString();
    return qs ? `${base}${path}?${qs}` : base + path;
  }
}
