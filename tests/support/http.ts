// A tiny HTTP client for end-to-end tests against the local stack (the same JSON any client sends).
export const baseUrl = (): string => {
  const url = process.env.API_BASE_URL;
  if (!url || !/^http:\/\/(localhost|127\.0\.0\.1)/.test(url)) throw new Error('API_BASE_URL must point at the local stack');
  return url;
};

/**
 * A connection reset before any answer (the local server closing a kept-alive socket as a burst reuses it)
 * is retried, but only where a retry cannot do anything twice: reads, and writes with an Idempotency-Key.
 */
async function fetchRetryingResets(url: string, init: RequestInit & { headers: Record<string, string> }): Promise<Response> {
  const safe = init.method === 'GET' || Object.keys(init.headers).some((name) => name.toLowerCase() === 'idempotency-key');
  for (let attempt = 1; ; attempt++) {
    try {
      return await fetch(url, init);
    } catch (error) {
      const code = ((error as { cause?: { code?: string } }).cause?.code ?? '') as string;
      if (!safe || attempt >= 3 || !['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET'].includes(code)) throw error;
    }
  }
}

export type ApiResponse<T = any> = { status: number; body: T; headers: Headers; text: string };

export async function api<T = any>(
  method: string,
  path: string,
  options: { token?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> } = {},
): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let body: string | undefined = options.rawBody;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['content-type'] ??= 'application/json';
  } else if (body !== undefined) headers['content-type'] ??= 'application/json';
  const response = await fetchRetryingResets(`${baseUrl()}${path}`, { method, headers, body, redirect: 'manual' });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: keep the text
  }
  return { status: response.status, body: parsed as T, headers: response.headers, text };
}

let counter = 0;
/** A fresh email per call, so tests never collide with each other or with earlier runs. */
export function uniqueEmail(prefix = 'user'): string {
  counter += 1;
  return `${prefix}.${Date.now().toString(36)}.${process.pid}.${counter}@example.test`;
}

export async function signUpUser(overrides: Record<string, unknown> = {}) {
  const email = uniqueEmail();
  const response = await api('POST', '/users', { body: { name: 'Test User', email, password: 'correct horse battery', ...overrides } });
  if (response.status !== 201) throw new Error(`sign-up failed: ${response.status} ${response.text}`);
  return { id: response.body.id as string, token: response.body.token as string, email };
}
