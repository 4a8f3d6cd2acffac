// Wiring of the bookings function (the host's list; a booking's invitation, cancellation and rescheduling).
import { getConfig } from '../config';
import { loadSecrets } from '../load-secrets';
import { schedulingDeps } from './parts/scheduling';
import { verifyToken } from './parts/bearer';

getConfig();
loadSecrets(['AUTH_SECRET']);

export const scheduling = schedulingDeps();
export const verifyBearer = verifyToken;
