// GET /app and /app/{proxy+}: the booking page and the admin console, the static files Vite built into web/dist
// (and GET /, which sends a browser to the console; GET /docs, the API reference).
import { routes } from '../../lib/http/routes/pages';
import { bindRoute, createRouter } from '../../lib/http/handler';
import { HttpReply } from '../../lib/http/route';
import { findSiteRoot, openSite } from '../../lib/web/static-files';

const site = openSite(() => findSiteRoot(__dirname));

function page(path: string, ifNoneMatch: string | undefined): HttpReply {
  const reply = site.reply(path, ifNoneMatch);
  return new HttpReply(reply.status, reply.body, reply.headers);
}

export const handler = createRouter([
  bindRoute(routes.pagesHome, async () => new HttpReply(302, undefined, { location: '/app/' })),
  bindRoute(routes.pagesDocs, async ({ headers }) => page('docs.html', headers['if-none-match'])),
  bindRoute(routes.pagesRoot, async ({ headers }) => page('', headers['if-none-match'])),
  bindRoute(routes.pagesFile, async ({ params, headers }) => page(params.proxy ?? '', headers['if-none-match'])),
]);
