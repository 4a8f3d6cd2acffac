// HTTP handlers of /users: sign-up, own profile, public profiles.
import { getConfig } from '../../lib/config';
import { routes } from '../../lib/http/routes/users';
import { bindRoute, createRouter } from '../../lib/http/handler';
import { userDeps } from '../../lib/users/deps';
import { profileDeps } from '../../lib/users/profile-deps';
import { getOwnProfile, getPublicProfile, signUp, updateOwnProfile } from '../../lib/users/use-cases';

getConfig();

export const handler = createRouter([
  bindRoute(routes.signUp, ({ body }) => signUp(userDeps, body)),
  bindRoute(routes.getMe, ({ userId }) => getOwnProfile(userDeps, userId)),
  bindRoute(routes.updateMe, ({ userId, body }) => updateOwnProfile(profileDeps, userId, body)),
  bindRoute(routes.getUser, ({ params }) => getPublicProfile(userDeps, params.userId)),
]);
