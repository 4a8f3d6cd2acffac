// The small HTTP vocabulary the route modules share: a parsed request, a reply, a route table entry.
import type { IncomingHttpHeaders } from 'node:http';

export interface SandboxRequest {
  method: string;
  /** Path without the query string, percent-encoding kept (route params are decoded). */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** Raw body text; routes parse it as JSON or form data as Google's endpoints do. */
  rawBody: string;
  /** Base URL of the sandbox as the client reached it, e.g. http://127.0.0.1:4100. */
  baseUrl: string;
}

export interface SandboxReply {
  status: number;
  headers?: Record<string, string>;
  /** Objects are sent as JSON, strings as they are (with the content type from headers), undefined as no body. */
  body?: unknown;
}

export interface Route {
  method: string;
  /** Matched against the request path; named groups become decoded params. */
  pattern: RegExp;
  handler: (request: SandboxRequest, params: Record<string, string>) => SandboxReply | Promise<SandboxReply>;
}

export function json(status: number, body: unknown, headers: Record<string, string> = {}): SandboxReply {
  return { status, body, headers };
}

export function html(status: number, body: string): SandboxReply {
  return { status, body, headers: { 'content-type': 'text/html; charset=utf-8' } };
}

export function header(request: SandboxRequest, name: string): string | undefined {
  const value = request.headers[name.toLowerCase()];
  return Array.isArray(value) ? value.join(', ') : value;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
