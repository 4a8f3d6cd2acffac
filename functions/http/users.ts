// HTTP handlers of /users: sign-up, own profile, public profiles.
import { routes } from '../../lib/http/routes/users';
import { bindRoute, createRouter } from '../../lib/http/handler';
import { limitSignUp } from '../../lib/limits/rate-limits';
import { changePassword, getOwnProfile, getPublicProfile, signUp, updateOwnProfile } from '../../lib/users/use-cases';
import { limits, profiles, users, verifyBearer } from '../../lib/wiring/users';

export const handler = createRouter([
  bindRoute(routes.signUp, async ({ body, sourceIp }) => {
    await limitSignUp(limits, { address: sourceIp });
    return signUp(users, body);
  }),
  bindRoute(routes.getMe, ({ userId }) => getOwnProfile(users, userId)),
  bindRoute(routes.updateMe, ({ userId, body }) => updateOwnProfile(profiles, userId, body)),
  bindRoute(routes.changePassword, ({ userId, body }) => changePassword(users, userId, body)),
  bindRoute(routes.getUser, ({ params }) => getPublicProfile(users, params.userId)),
], { verifyBearer });
