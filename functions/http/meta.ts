// GET /health and GET /openapi.json.
import { bindRoute, createRouter } from '../../lib/http/handler';
import { buildOpenApi } from '../../lib/http/openapi';
import { routes } from '../../lib/http/routes/meta';

let document: ReturnType<typeof buildOpenApi> | undefined;

export const handler = createRouter([
  bindRoute(routes.health, async () => ({ status: 'ok', time: new Date().toISOString() })),
  // The whole contract (every feature's schemas) is loaded on the first /openapi.json only, not with /health.
  bindRoute(routes.openApi, async () => (document ??= buildOpenApi((await import('../../lib/http/contract')).routes))),
]);
