// Wiring of the companies function: companies, members, calendars, sync requests, synced events and overlaps.
import { getConfig } from '../config';
import { loadSecrets } from '../load-secrets';
import { companyDeps } from './parts/companies';
import { verifyToken } from './parts/bearer';

getConfig();
// GOOGLE_CLIENT_SECRET: enabling a calendar opens its push channel with Google.
loadSecrets(['AUTH_SECRET', 'GOOGLE_CLIENT_SECRET']);

export const companies = companyDeps();
export const verifyBearer = verifyToken;
