// The pages' only way to the service: the public HTTP API, same origin, the same JSON any client sends.

export type ErrorDetail = { field: string; message: string };

/** An error reply of the API ({"error": {code, message, details}}), or a network failure (status 0). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ErrorDetail[] = [],
  ) {
    super(message);
  }

  /** The message of one field's problem, matched on the last part of its name ("body.email" -> "email"). */
  fieldMessage(field: string): string | undefined {
    return this.details.find((detail) => detail.field === field || detail.field.endsWith(`.${field}`))?.message;
  }
}

export type RequestOptions = { token?: string | null; body?: unknown; headers?: Record<string, string>; signal?: AbortSignal; redirect?: RequestRedirect };

export async function request<T = unknown>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const text = await send(method, path, options, 'application/json');
  try {
    return (text ? JSON.parse(text) : undefined) as T;
  } catch {
    return undefined as T;
  }
}

/** A reply that is not JSON (an .ics), as text; errors are the API's JSON error bodies as with `request`. */
export function requestText(method: string, path: string, options: RequestOptions = {}): Promise<string> {
  return send(method, path, options, '*/*');
}

async function send(method: string, path: string, options: RequestOptions, accept: string): Promise<string> {
  const headers: Record<string, string> = { accept, ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
      credentials: 'omit',
      redirect: options.redirect ?? 'follow',
    });
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw new ApiError(0, 'network_error', 'The service could not be reached. Check your connection and try again.');
  }
  // A redirect the page asked not to follow: its target is unreadable to scripts (an opaque response).
  if (response.type === 'opaqueredirect') throw new ApiError(0, 'redirect', 'The service answered with a redirect that a page cannot read.');
  const text = await response.text();
  if (!response.ok) {
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = undefined;
    }
    const error = (body as { error?: { code?: string; message?: string; details?: ErrorDetail[] } } | undefined)?.error;
    throw new ApiError(response.status, error?.code ?? `http_${response.status}`, error?.message ?? `The service answered ${response.status}`, error?.details ?? []);
  }
  return text;
}

export type Page<T> = { items: T[]; nextCursor?: string };

/** Every item of a paged list, following nextCursor (bounded, so a bug cannot loop forever). */
export async function requestAll<T>(path: string, options: RequestOptions = {}, maxPages = 20): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < maxPages; page += 1) {
    const separator = path.includes('?') ? '&' : '?';
    const reply = await request<Page<T>>('GET', cursor ? `${path}${separator}cursor=${encodeURIComponent(cursor)}` : path, options);
    items.push(...reply.items);
    cursor = reply.nextCursor;
    if (!cursor) break;
  }
  return items;
}

export function query(params: Record<string, string | number | boolean | undefined>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) if (value !== undefined) search.set(name, String(value));
  const text = search.toString();
  return text ? `?${text}` : '';
}

/** A fresh key per booking attempt, so a retried request after a network error cannot book twice. */
export function idempotencyKey(): string {
  return crypto.randomUUID?.() ?? `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
}
