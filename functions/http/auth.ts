// HTTP handler of POST /auth/login.
import { getConfig } from '../../lib/config';
import { routes } from '../../lib/http/routes/users';
import { bindRoute, createRouter } from '../../lib/http/handler';
import { userDeps } from '../../lib/users/deps';
import { logIn } from '../../lib/users/use-cases';

getConfig();

export const handler = createRouter([bindRoute(routes.logIn, ({ body }) => logIn(userDeps, body))]);
