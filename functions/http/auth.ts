// HTTP handlers of POST /auth/login and POST /auth/logout.
import { getConfig } from '../../lib/config';
import { loadSecrets } from '../../lib/load-secrets';
import { routes } from '../../lib/http/routes/users';
import { bindRoute, createRouter } from '../../lib/http/handler';
import { limitDeps } from '../../lib/limits/deps';
import { limitSignInFailures } from '../../lib/limits/rate-limits';
import { userDeps } from '../../lib/users/deps';
import { logIn, logOut } from '../../lib/users/use-cases';

getConfig();
loadSecrets(['AUTH_SECRET']);

// Failed sign-ins are limited per account and per client address, checked before the password is hashed.
export const handler = createRouter([
  bindRoute(routes.logIn, ({ body, sourceIp }) => limitSignInFailures(limitDeps, { email: body.email, address: sourceIp }, () => logIn(userDeps, body))),
  bindRoute(routes.logOut, ({ userId }) => logOut(userDeps, userId)),
]);
