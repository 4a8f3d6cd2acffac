// Wiring of the channel-renewal job (hourly: renews, stops and opens push channels).
import { getConfig } from '../config';
import { loadSecrets } from '../load-secrets';
import { renewalDeps } from './parts/push';

getConfig();
loadSecrets(['GOOGLE_CLIENT_SECRET']);

export const renewal = renewalDeps();
