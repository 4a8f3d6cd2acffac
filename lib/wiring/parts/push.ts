// Push channels (Google events.watch) wired to their store and the Google channel client.
import { getConfig } from '../../config';
import { lazyChannelApi, lazyCipher } from '../../google/clients';
import { logger } from '../../http/logger';
import { systemClock } from '../../kernel/clock';
import { DAY_MS } from '../../kernel/time-units';
import { limitNotification } from '../../limits/rate-limits';
import { calendarChannels } from '../../push/channels';
import type { CalendarChannels, ChannelDeps, NotificationDeps, RenewalDeps } from '../../push/ports';
import { calendarEnablementStore } from '../../store/calendar-enablement-store';
import { channelStore } from '../../store/channel-store';
import { connectionStore } from '../../store/connection-store';
import { limitDeps } from './limits';
import { syncRequests } from './requests';

export const WEBHOOK_PATH = '/webhooks/google';

/** Where Google posts notifications; none (no channels opened) when push is off or no public base URL is known. */
export function webhookAddress(): string | undefined {
  const config = getConfig();
  if (!config.PUSH_CHANNELS) return undefined;
  const base = config.WEBHOOK_BASE_URL ?? config.PUBLIC_BASE_URL;
  return base ? `${base.replace(/\/+$/, '')}${WEBHOOK_PATH}` : undefined;
}

export function channelDeps(): ChannelDeps {
  return { channels: channelStore, google: lazyChannelApi, connections: connectionStore, cipher: lazyCipher, clock: systemClock, webhookAddress: webhookAddress(), log: logger };
}

export function renewalDeps(): RenewalDeps {
  return { ...channelDeps(), calendars: calendarEnablementStore, renewWithinMs: DAY_MS };
}

export function channels(): CalendarChannels {
  return calendarChannels(channelDeps());
}

/** The webhook's ports: verified notifications become coalesced sync requests, limited per channel. */
export function webhookDeps(): NotificationDeps {
  const limits = limitDeps();
  return { channels: channelStore, queue: syncRequests(), clock: systemClock, limitNotification: (channelId) => limitNotification(limits, channelId) };
}
