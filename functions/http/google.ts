// HTTP handlers of the Google side: the OAuth consent (start, callback) and the user's connections.
import { completeOAuth, deleteConnection, listConnectionCalendars, listConnectionEvents, listConnections, OAUTH_STATE_TTL_MS, startOAuth } from '../../lib/connections/use-cases';
import { routes } from '../../lib/http/routes/google';
import { OAUTH_BINDING_COOKIE, oauthBindingCookie } from '../../lib/http/cookies';
import { bindRoute, createRouter } from '../../lib/http/handler';
import { HttpReply } from '../../lib/http/route';
import { connections as deps, verifyBearer } from '../../lib/wiring/google';

const accepts = (headers: Record<string, string | undefined>, type: string) => (headers.accept ?? '').toLowerCase().includes(type);

export const handler = createRouter([
  bindRoute(routes.googleOAuthStart, async ({ userId, query, headers }) => {
    const { authorizeUrl, bindingNonce } = await startOAuth(deps, userId, query);
    const cookies = [oauthBindingCookie(bindingNonce, OAUTH_STATE_TTL_MS / 1000, headers)];
    // A page cannot read the Location of a redirect it fetched: asked for JSON, the URL comes as the body.
    if (accepts(headers, 'application/json')) return new HttpReply(200, { authorizeUrl }, {}, cookies);
    return new HttpReply(302, { authorizeUrl }, { location: authorizeUrl }, cookies);
  }),
  bindRoute(routes.googleOAuthCallback, async ({ query, headers, cookies }) => {
    // A browser arriving from Google is handed to the console's callback page, which finishes through this route.
    if (accepts(headers, 'text/html')) {
      const forward = new URLSearchParams(Object.entries(query).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
      return new HttpReply(302, undefined, { location: `/app/google/callback?${forward}` });
    }
    const bearer = headers.authorization?.match(/^Bearer\s+(\S+)$/i)?.[1];
    const reply = await completeOAuth(deps, query, { nonce: cookies[OAUTH_BINDING_COOKIE], bearer });
    return new HttpReply(200, reply, {}, [oauthBindingCookie('', 0, headers)]);
  }),
  bindRoute(routes.listGoogleConnections, ({ userId }) => listConnections(deps, userId)),
  bindRoute(routes.deleteGoogleConnection, async ({ userId, params }) => {
    await deleteConnection(deps, userId, params.connectionId);
    return new HttpReply(204, undefined);
  }),
  bindRoute(routes.listGoogleCalendars, ({ userId, params }) => listConnectionCalendars(deps, userId, params.connectionId)),
  bindRoute(routes.listGoogleCalendarEvents, ({ userId, params, query }) =>
    listConnectionEvents(deps, userId, params.connectionId, params.calendarId, query),
  ),
], { verifyBearer });
