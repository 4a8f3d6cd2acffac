// HTTP handler of POST /auth/login.
import { getConfig } from '../../lib/config';
import { routes } from '../../lib/http/contract';
import { bindRoute, createRouter } from '../../lib/http/handler';
import { limitDeps } from '../../lib/limits/deps';
import { limitSignInFailures } from '../../lib/limits/rate-limits';
import { userDeps } from '../../lib/users/deps';
import { logIn } from '../../lib/users/use-cases';

getConfig();

// Failed sign-ins are limited per account and per client address, checked before the password is hashed.
export const handler = createRouter([
  bindRoute(routes.logIn, ({ body, sourceIp }) => limitSignInFailures(limitDeps, { email: body.email, address: sourceIp }, () => logIn(userDeps, body))),
]);
