// The production wiring of the channel ports (the webhook's is in notification-deps.ts).
import { getConfig } from '../config';
import { lazyCipher } from '../google/clients';
import { calendarEnablementStore } from '../store/calendar-enablement-store';
import { channelStore } from '../store/channel-store';
import { connectionStore } from '../store/connection-store';
import { systemClock } from '../users/ports';
import type { ChannelApi, ChannelDeps, RenewalDeps } from './ports';

const DAY_MS = 24 * 3600 * 1000;
export const WEBHOOK_PATH = '/webhooks/google';

// The Google libraries are imported on the first call, not with the function.
let channelApi: Promise<ChannelApi> | undefined;
// The client secret comes from googleClientConfig() (lib/secrets.ts), loaded with the OAuth module it lives in.
const googleChannelApi = () =>
  (channelApi ??= Promise.all([import('../google/channel-client'), import('../google/oauth-client')]).then(([{ createGoogleChannelApi }, { googleClientConfig }]) =>
    createGoogleChannelApi(googleClientConfig()),
  ));
const lazyChannelApi: ChannelApi = {
  watch: async (...args) => (await googleChannelApi()).watch(...args),
  stop: async (...args) => (await googleChannelApi()).stop(...args),
};

/**
 * WEBHOOK_BASE_URL (on AWS the webhook's function URL); locally the API's own base URL (PUBLIC_BASE_URL).
 * None when PUSH_CHANNELS is off: no channel is opened then.
 */
export function webhookAddress(): string | undefined {
  const config = getConfig();
  if (!config.PUSH_CHANNELS) return undefined;
  const base = config.WEBHOOK_BASE_URL ?? config.PUBLIC_BASE_URL;
  return base ? `${base.replace(/\/+$/, '')}${WEBHOOK_PATH}` : undefined;
}

export function createChannelDeps(): ChannelDeps {
  return { channels: channelStore, google: lazyChannelApi, connections: connectionStore, cipher: lazyCipher, clock: systemClock, webhookAddress: webhookAddress() };
}

export function createRenewalDeps(): RenewalDeps {
  return { ...createChannelDeps(), calendars: calendarEnablementStore, renewWithinMs: DAY_MS };
}
