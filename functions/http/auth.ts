// HTTP handlers of POST /auth/login and POST /auth/logout.
import { routes } from '../../lib/http/routes/users';
import { bindRoute, createRouter } from '../../lib/http/handler';
import { limitSignInFailures } from '../../lib/limits/rate-limits';
import { logIn, logOut } from '../../lib/users/use-cases';
import { limits, users, verifyBearer } from '../../lib/wiring/auth';

// Failed sign-ins are limited per account and per client address, checked before the password is hashed.
export const handler = createRouter([
  bindRoute(routes.logIn, ({ body, sourceIp }) => limitSignInFailures(limits, { email: body.email, address: sourceIp }, () => logIn(users, body))),
  bindRoute(routes.logOut, ({ userId }) => logOut(users, userId)),
], { verifyBearer });
