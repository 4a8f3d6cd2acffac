// Wiring of the Google webhook function: verified notifications become coalesced sync requests.
import { getConfig } from '../config';
import { webhookDeps } from './parts/push';

getConfig();

export const notifications = webhookDeps();
