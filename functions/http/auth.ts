// HTTP handlers of POST /auth/login and POST /auth/logout.
import { getConfig } from '../../lib/config';
import { loadSecrets } from '../../lib/load-secrets';
import { routes } from '../../lib/http/contract';
import { bindRoute, createRouter } from '../../lib/http/handler';
import { userDeps } from '../../lib/users/deps';
import { logIn, logOut } from '../../lib/users/use-cases';

getConfig();
loadSecrets(['AUTH_SECRET']);

export const handler = createRouter([bindRoute(routes.logIn, ({ body }) => logIn(userDeps, body)), bindRoute(routes.logOut, ({ userId }) => logOut(userDeps, userId))]);
