// Wiring of the events function (meetings, calendars, free time).
import { getConfig } from '../config';
import { loadSecrets } from '../load-secrets';
import { calendarDeps } from './parts/calendar';
import { verifyToken } from './parts/bearer';

getConfig();
loadSecrets(['AUTH_SECRET']);

export const calendar = calendarDeps();
export const verifyBearer = verifyToken;
