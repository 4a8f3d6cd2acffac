// The HTTP front of the sandbox: reads requests, applies injected faults, dispatches to the route
// tables, shapes errors as Google does and records every API call in the request log.
import http from 'node:http';
import { apiErrors, GoogleApiError, OAuthError } from './errors';
import { Route, SandboxReply, SandboxRequest } from './http';
import { SandboxState } from './store';

const MAX_BODY_BYTES = 10 * 1024 * 1024;
const CONTROL_PREFIX = '/__control/';

export function createHttpServer(state: SandboxState, routes: Route[], fallbackBaseUrl: () => string): http.Server {
  const server = http.createServer((incoming, outgoing) => {
    void handle(state, routes, fallbackBaseUrl, incoming, outgoing);
  });
  // Node closes an idle keep-alive socket after 5 s; a client on a loaded machine (a test worker between files)
  // can pick it up just as it closes ("other side closed"). Clients drop idle sockets well before a minute.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  return server;
}

async function handle(
  state: SandboxState,
  routes: Route[],
  fallbackBaseUrl: () => string,
  incoming: http.IncomingMessage,
  outgoing: http.ServerResponse,
): Promise<void> {
  const startedAt = Date.now();
  const url = new URL(incoming.url ?? '/', 'http://sandbox.invalid');
  const method = (incoming.method ?? 'GET').toUpperCase();
  const isControl = url.pathname.startsWith(CONTROL_PREFIX);
  // Faults and the log use the decoded path, so tests can write `/calendars/venue@sandbox.test/...`.
  const readablePath = safeDecode(url.pathname);
  let reply: SandboxReply;
  try {
    const rawBody = await readBody(incoming);
    const request: SandboxRequest = {
      method,
      path: readablePath,
      query: url.searchParams,
      headers: incoming.headers,
      rawBody,
      baseUrl: incoming.headers.host ? `http://${incoming.headers.host}` : fallbackBaseUrl(),
    };
    reply = (!isControl && (await applyFaults(state, method, readablePath))) || (await dispatch(routes, request));
  } catch (error) {
    reply = errorReply(error);
  }
  send(outgoing, reply);
  // Control calls stay out of the log so that tests can count exactly the calls their client made.
  if (!isControl) {
    state.appendRequestLog({
      at: new Date(startedAt).toISOString(),
      method,
      path: readablePath,
      query: url.search.replace(/^\?/, ''),
      status: reply.status,
      durationMs: Date.now() - startedAt,
    });
  }
}

async function dispatch(routes: Route[], request: SandboxRequest): Promise<SandboxReply> {
  let pathMatched = false;
  for (const route of routes) {
    const match = route.pattern.exec(request.path);
    if (!match) continue;
    pathMatched = true;
    if (route.method !== request.method) continue;
    const params: Record<string, string> = {};
    for (const [name, value] of Object.entries(match.groups ?? {})) {
      try {
        params[name] = decodeURIComponent(value);
      } catch {
        throw apiErrors.badRequest('Invalid path parameter.');
      }
    }
    return route.handler(request, params);
  }
  if (pathMatched) return errorReply(new GoogleApiError(405, 'Method Not Allowed', 'httpMethodNotAllowed'));
  return errorReply(apiErrors.notFound());
}

/** Injected latency first (every matching rule), then the first matching status fault. */
async function applyFaults(state: SandboxState, method: string, path: string): Promise<SandboxReply | undefined> {
  const matching = state.faults.filter(
    (fault) => fault.remaining > 0 && path.startsWith(fault.pathPrefix) && (!fault.method || fault.method === method),
  );
  let delay = 0;
  for (const fault of matching.filter((rule) => rule.latencyMs !== undefined)) {
    delay = Math.max(delay, fault.latencyMs ?? 0);
    if (fault.status === undefined) fault.remaining -= 1;
  }
  if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
  const failing = matching.find((fault) => fault.status !== undefined);
  if (failing) failing.remaining -= 1;
  state.faults = state.faults.filter((fault) => fault.remaining > 0);
  return failing ? errorReply(apiErrors.fault(failing.status!, failing.reason, failing.message)) : undefined;
}

function errorReply(error: unknown): SandboxReply {
  if (error instanceof GoogleApiError) return { status: error.code, body: error.toBody(), headers: error.headers };
  if (error instanceof OAuthError) return { status: error.status, body: error.toBody() };
  console.error('[google-sandbox] internal error', error);
  return { status: 500, body: apiErrors.fault(500).toBody() };
}

function send(outgoing: http.ServerResponse, reply: SandboxReply): void {
  const headers: Record<string, string> = { ...reply.headers };
  let payload: string | undefined;
  if (typeof reply.body === 'string') payload = reply.body;
  else if (reply.body !== undefined) {
    payload = JSON.stringify(reply.body);
    headers['content-type'] ??= 'application/json; charset=UTF-8';
  }
  if (payload !== undefined) headers['content-length'] = String(Buffer.byteLength(payload));
  outgoing.writeHead(reply.status, headers);
  outgoing.end(payload);
}

function safeDecode(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

function readBody(incoming: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    incoming.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(apiErrors.badRequest('Request body too large.'));
        incoming.destroy();
        return;
      }
      chunks.push(chunk);
    });
    incoming.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    incoming.on('error', reject);
  });
}
