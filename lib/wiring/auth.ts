// Wiring of the auth function (POST /auth/login, /auth/logout): accounts and the sign-in limits.
import { getConfig } from '../config';
import { loadSecrets } from '../load-secrets';
import { limitDeps } from './parts/limits';
import { userDeps } from './parts/users';
import { verifyToken } from './parts/bearer';

getConfig();
loadSecrets(['AUTH_SECRET']);

export const users = userDeps();
export const limits = limitDeps();
export const verifyBearer = verifyToken;
