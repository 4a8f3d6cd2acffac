// HTTP handlers of the Google side: the OAuth consent (start, callback) and the user's connections.
import { getConfig } from '../../lib/config';
import { loadSecrets } from '../../lib/load-secrets';
import { connectionDeps as deps } from '../../lib/connections/deps';
import {
  completeOAuth,
  deleteConnection,
  listConnectionCalendars,
  listConnectionEvents,
  listConnections,
  startOAuth,
} from '../../lib/connections/use-cases';
import { routes } from '../../lib/http/contract';
import { bindRoute, createRouter } from '../../lib/http/handler';
import { HttpReply } from '../../lib/http/route';

getConfig();
loadSecrets(['AUTH_SECRET', 'GOOGLE_CLIENT_SECRET']);

const accepts = (headers: Record<string, string | undefined>, type: string) => (headers.accept ?? '').toLowerCase().includes(type);

export const handler = createRouter([
  bindRoute(routes.googleOAuthStart, async ({ userId, query, headers }) => {
    const reply = await startOAuth(deps, userId, query);
    // A page cannot read the Location of a redirect it fetched: asked for JSON, the URL comes as the body.
    return accepts(headers, 'application/json') ? new HttpReply(200, reply) : new HttpReply(302, reply, { location: reply.authorizeUrl });
  }),
  bindRoute(routes.googleOAuthCallback, async ({ query, headers }) => {
    // A browser arriving from Google is handed to the console's callback page, which finishes through this route.
    if (accepts(headers, 'text/html')) {
      const forward = new URLSearchParams(Object.entries(query).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
      return new HttpReply(302, undefined, { location: `/app/google/callback?${forward}` });
    }
    return completeOAuth(deps, query);
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
]);
