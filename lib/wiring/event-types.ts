// Wiring of the event-types function (a host's event types).
import { getConfig } from '../config';
import { loadSecrets } from '../load-secrets';
import { schedulingDeps } from './parts/scheduling';
import { verifyToken } from './parts/bearer';

getConfig();
loadSecrets(['AUTH_SECRET']);

export const scheduling = schedulingDeps();
export const verifyBearer = verifyToken;
