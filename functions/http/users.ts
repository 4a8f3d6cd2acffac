// HTTP handlers of /users: sign-up, own profile, public profiles.
import { getConfig } from '../../lib/config';
import { routes } from '../../lib/http/contract';
import { bindRoute, createRouter } from '../../lib/http/handler';
import { limitDeps } from '../../lib/limits/deps';
import { limitSignUp } from '../../lib/limits/rate-limits';
import { userDeps } from '../../lib/users/deps';
import { profileDeps } from '../../lib/users/profile-deps';
import { getOwnProfile, getPublicProfile, signUp, updateOwnProfile } from '../../lib/users/use-cases';

getConfig();

export const handler = createRouter([
  bindRoute(routes.signUp, async ({ body, sourceIp }) => {
    await limitSignUp(limitDeps, { address: sourceIp });
    return signUp(userDeps, body);
  }),
  bindRoute(routes.getMe, ({ userId }) => getOwnProfile(userDeps, userId)),
  bindRoute(routes.updateMe, ({ userId, body }) => updateOwnProfile(profileDeps, userId, body)),
  bindRoute(routes.getUser, ({ params }) => getPublicProfile(userDeps, params.userId)),
]);
