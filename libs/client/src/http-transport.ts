import { ConnectionError, apiError } from './gantry-errors.js';

export interface TransportOptions {
  /** The gateway, e.g. `http://127.0.0.1:8080`; '' for the page's own origin in a browser. */
  url: string;
  apiKey: string | undefined;
  /** Tries after the first, on network errors and on 429/503 answers (default 3). */
  maxRetries: number;
  fetch: typeof fetch;
}

export interface ApiRequest {
  method: 'GET' | 'POST' | 'DELETE' | 'PATCH';
  path: string;
  query?: Record<string, string | undefined>;
  /** A JSON body (an object), multipart form data, or a Blob sent as it is. */
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal | undefined;
  /** Whether sending it twice is harmless (a read, a control, or a submission with an Idempotency-Key). */
  retry: boolean;
}

const retriedStatuses = new Set([429, 503]);
const maxDelayMs = 30_000;

/** `Retry-After` as seconds or an HTTP date; null when absent or unreadable. */
function retryAfterSeconds(headers: Headers): number | null {
  const value = headers.get('retry-after');
  if (value === null) return null;
  if (/^\d+$/.test(value)) return Number(value);
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - Date.now()) / 1_000));
}

/** Exponential backoff with full jitter: 0.5 s, 1 s, 2 s… at most 30 s. */
const backoffMs = (attempt: number) => Math.random() * Math.min(maxDelayMs, 500 * 2 ** attempt);

const sleep = (ms: number, signal: AbortSignal | undefined) =>
  new Promise<void>((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(signal.reason as Error);
      },
      { once: true },
    );
  });

const isAbort = (error: unknown) =>
  error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError');

/**
 * fetch, and nothing else (so it runs in browsers and Node alike), with the API key, JSON, typed errors,
 * and retries where they are safe: network errors, `429` and `503`, waiting what `Retry-After` says (up to
 * 30 s; a longer one is thrown at once, with `retryAfterS`).
 */
export class HttpTransport {
  constructor(private readonly options: TransportOptions) {}

  /** The answer of a successful request; an error answer throws its typed error. */
  async send(request: ApiRequest): Promise<Response> {
    for (let attempt = 0; ; attempt += 1) {
      const last = !request.retry || attempt >= this.options.maxRetries;
      let response: Response;
      try {
        response = await this.options.fetch(this.urlOf(request), this.init(request));
      } catch (error) {
        if (isAbort(error) || last) {
          throw isAbort(error)
            ? error
            : new ConnectionError(`cannot reach ${this.options.url || 'the gateway'}`, { cause: error });
        }
        await sleep(backoffMs(attempt), request.signal);
        continue;
      }
      if (response.ok) return response;
      const retryAfter = retryAfterSeconds(response.headers);
      // A wait longer than the longest backoff (a daily quota's "tomorrow") is the caller's to decide:
      // the typed error says how long, rather than the call hanging for hours.
      const waitable = retryAfter === null || retryAfter * 1_000 <= maxDelayMs;
      if (!last && retriedStatuses.has(response.status) && waitable) {
        await response.body?.cancel();
        await sleep(retryAfter === null ? backoffMs(attempt) : retryAfter * 1_000, request.signal);
        continue;
      }
      const text = await response.text();
      let body: unknown = null;
      try {
        body = JSON.parse(text);
      } catch {
        // Not the API's error shape (a proxy's page, say): the status alone decides the error.
      }
      const requestId =
        (body as { request_id?: string } | null)?.request_id ?? response.headers.get('x-request-id');
      throw apiError(response.status, body, requestId, retryAfter);
    }
  }

  /** `send`, then the JSON body. */
  async json<T>(request: ApiRequest): Promise<T> {
    return (await (await this.send(request)).json()) as T;
  }

  private urlOf(request: ApiRequest): string {
    const query = Object.entries(request.query ?? {}).filter(
      (entry): entry is [string, string] => entry[1] !== undefined,
    );
    const search = query.length > 0 ? `?${new URLSearchParams(query).toString()}` : '';
    return `${this.options.url.replace(/\/+$/, '')}${request.path}${search}`;
  }

  private init(request: ApiRequest): RequestInit {
    const headers: Record<string, string> = { accept: 'application/json', ...request.headers };
    if (this.options.apiKey) headers['authorization'] = `Bearer ${this.options.apiKey}`;
    let body: RequestInit['body'];
    // Form data and a Blob (a JSONL file) go as they are, the caller's headers saying what they are.
    if (request.body instanceof FormData || request.body instanceof Blob) body = request.body;
    else if (request.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(request.body);
    }
    return { method: request.method, headers, body, signal: request.signal ?? null };
  }
}
