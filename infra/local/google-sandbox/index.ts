// Google Calendar sandbox: an in-process HTTP server speaking the subset of Google OAuth 2.0 and
// Calendar API v3 that Calendar Hub uses, so that google-auth-library and @googleapis/calendar
// work against it unchanged. See README.md in this folder.
import type { AddressInfo } from 'node:net';
import { CalendarApi } from './calendar-api';
import { controlRoutes, createControl, SandboxControl } from './control';
import { seedDemoData } from './demo-data';
import { EventsService } from './events';
import { OAuthService } from './oauth';
import { PushService } from './push';
import { createHttpServer } from './server';
import { SandboxState } from './store';

export type { SandboxControl, FaultSpec, ChannelInfo, RequestLogFilter } from './control';
export type { SeedAccount, SeedCalendar, AccountSummary } from './accounts';
export type { PushDelivery, RequestLogEntry, AccessRole } from './store';
export { DEMO_EMAIL, DEMO_MAIN_HALL_ID, DEMO_STUDIO_ID } from './demo-data';

export const DEFAULT_CLIENT_ID = 'sandbox-client-id.apps.googleusercontent.com';
export const DEFAULT_CLIENT_SECRET = 'sandbox-client-secret';

export interface GoogleSandboxOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Seed demo@sandbox.test with two calendars and a dozen events. */
  seedDemo?: boolean;
  clientId?: string;
  clientSecret?: string;
  /** Lifetime of access tokens; default 3600 like Google. */
  accessTokenTtlSeconds?: number;
  /** Changes within this many ms are coalesced into one push per channel; default 10. */
  pushCoalesceMs?: number;
  /** How long a push delivery may take before it counts as failed (Google: a few seconds, the default 5 s). */
  pushTimeoutMs?: number;
}

export interface GoogleSandbox {
  /** Base URL, e.g. http://127.0.0.1:4100 */
  url: string;
  /** GOOGLE_OAUTH_AUTHORIZE_URL (OAuth2Client endpoints.oauth2AuthBaseUrl) */
  authorizeUrl: string;
  /** GOOGLE_OAUTH_TOKEN_URL (OAuth2Client endpoints.oauth2TokenUrl) */
  tokenUrl: string;
  /** OAuth2Client endpoints.oauth2RevokeUrl */
  revokeUrl: string;
  /** OAuth2Client endpoints.tokenInfoUrl */
  tokenInfoUrl: string;
  /** GET with a bearer token: {sub, email, email_verified} */
  userinfoUrl: string;
  /** GOOGLE_API_BASE_URL: the `rootUrl` for calendar({version:'v3', rootUrl}); ends with '/'. */
  apiBaseUrl: string;
  /** Base of the control API over HTTP (same operations as `control`). */
  controlUrl: string;
  clientId: string;
  clientSecret: string;
  control: SandboxControl;
  stop(): Promise<void>;
}

export async function startGoogleSandbox(options: GoogleSandboxOptions = {}): Promise<GoogleSandbox> {
  const host = options.host ?? '127.0.0.1';
  const state = new SandboxState({
    clientId: options.clientId ?? DEFAULT_CLIENT_ID,
    clientSecret: options.clientSecret ?? DEFAULT_CLIENT_SECRET,
    accessTokenTtlSeconds: options.accessTokenTtlSeconds ?? 3600,
  });
  const oauth = new OAuthService(state);
  const events = new EventsService(state);
  const push = new PushService(state, { coalesceMs: options.pushCoalesceMs ?? 10, deliveryTimeoutMs: options.pushTimeoutMs });
  const control = createControl(state, events, push);
  const calendarApi = new CalendarApi(state, oauth, events, push);

  let url = '';
  const server = createHttpServer(state, [...oauth.routes(), ...calendarApi.routes(), ...controlRoutes(control)], () => url);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const publicHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  url = `http://${publicHost}:${port}`;
  if (options.seedDemo) seedDemoData(state, events);

  return {
    url,
    authorizeUrl: `${url}/o/oauth2/v2/auth`,
    tokenUrl: `${url}/token`,
    revokeUrl: `${url}/revoke`,
    tokenInfoUrl: `${url}/tokeninfo`,
    userinfoUrl: `${url}/oauth2/v3/userinfo`,
    apiBaseUrl: `${url}/`,
    controlUrl: `${url}/__control`,
    clientId: state.settings.clientId,
    clientSecret: state.settings.clientSecret,
    control,
    async stop() {
      push.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Keep-alive sockets of API clients would hold close() open until they time out.
        server.closeAllConnections();
      });
    },
  };
}
