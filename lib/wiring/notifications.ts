// Wiring of the notifications function (the reminders delivered to the caller).
import { getConfig } from '../config';
import { loadSecrets } from '../load-secrets';
import { notificationDeps } from './parts/reminders';
import { verifyToken } from './parts/bearer';

getConfig();
loadSecrets(['AUTH_SECRET']);

export const notifications = notificationDeps();
export const verifyBearer = verifyToken;
