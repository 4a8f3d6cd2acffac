// GET /health and GET /openapi.json.
import { routes } from '../../lib/http/contract';
import { bindRoute, createRouter } from '../../lib/http/handler';
import { buildOpenApi } from '../../lib/http/openapi';

let document: ReturnType<typeof buildOpenApi> | undefined;

export const handler = createRouter([
  bindRoute(routes.health, async () => ({ status: 'ok', time: new Date().toISOString() })),
  bindRoute(routes.openApi, async () => (document ??= buildOpenApi(routes))),
]);
