// What the sandbox's OAuth endpoints share: reading a form (or JSON) body, the checks on values, and the replies
// Google gives (redirects, no-store headers, its error page).
import { timingSafeEqual } from 'node:crypto';
import { OAuthError } from './errors';
import { escapeHtml, header, html, type SandboxReply, type SandboxRequest } from './http';

export function parseForm(request: SandboxRequest): URLSearchParams {
  const type = header(request, 'content-type') ?? '';
  if (type.includes('application/json') && request.rawBody) {
    try {
      return new URLSearchParams(JSON.parse(request.rawBody) as Record<string, string>);
    } catch {
      throw new OAuthError(400, 'invalid_request', 'Invalid JSON body');
    }
  }
  return new URLSearchParams(request.rawBody);
}

export function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && !url.hash;
  } catch {
    return false;
  }
}

export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

export function redirect(target: string, params: Record<string, string>): SandboxReply {
  const url = new URL(target);
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
  return { status: 302, headers: { location: url.toString(), 'cache-control': 'no-store' } };
}

export function noStore(): Record<string, string> {
  return { 'cache-control': 'no-store', pragma: 'no-cache' };
}

export function errorPage(status: number, error: string, description: string): SandboxReply {
  return html(
    status,
    `<!doctype html><html><head><meta charset="utf-8"><title>Error ${status}: ${escapeHtml(error)}</title></head>
<body><h1>Access blocked: this request is invalid</h1><p>Error ${status}: ${escapeHtml(error)}</p><p>${escapeHtml(description)}</p></body></html>`,
  );
}
