// HTTP handlers of /users: sign-up, own profile, public profiles.
import { getConfig } from '../../lib/config';
import { loadSecrets } from '../../lib/load-secrets';
import { routes } from '../../lib/http/routes/users';
import { bindRoute, createRouter } from '../../lib/http/handler';
import { limitDeps } from '../../lib/limits/deps';
import { limitSignUp } from '../../lib/limits/rate-limits';
import { userDeps } from '../../lib/users/deps';
import { profileDeps } from '../../lib/users/profile-deps';
import { changePassword, getOwnProfile, getPublicProfile, signUp, updateOwnProfile } from '../../lib/users/use-cases';

getConfig();
loadSecrets(['AUTH_SECRET', 'GOOGLE_CLIENT_SECRET']);

export const handler = createRouter([
  bindRoute(routes.signUp, async ({ body, sourceIp }) => {
    await limitSignUp(limitDeps, { address: sourceIp });
    return signUp(userDeps, body);
  }),
  bindRoute(routes.getMe, ({ userId }) => getOwnProfile(userDeps, userId)),
  bindRoute(routes.updateMe, ({ userId, body }) => updateOwnProfile(profileDeps, userId, body)),
  bindRoute(routes.changePassword, ({ userId, body }) => changePassword(userDeps, userId, body)),
  bindRoute(routes.getUser, ({ params }) => getPublicProfile(userDeps, params.userId)),
]);
