// What the push use cases need: stored channels (one per events.watch), Google's watch/stop, the sync queue.
import type { CompanyCalendar, CompanyCalendarRepo } from '../companies/ports';
import type { ConnectionRepo, GoogleCredentials, TokenCipher } from '../connections/ports';
import type { QueueChannel } from '../sync/queue';
import type { Clock } from '../kernel/clock';
import type { Log } from '../kernel/log';

/** An events.watch channel of one company calendar. The token is kept only as its SHA-256. */
export type PushChannel = {
  id: string;
  companyId: string;
  calendarId: string;
  connectionId: string;
  resourceId: string;
  tokenHash: string;
  /** Epoch ms after which Google sends nothing more. */
  expirationMs: number;
  createdAt: string;
  lastMessageNumber?: number;
  lastNotificationAt?: string;
};

export type ChannelRepo = {
  /** Writes the channel (its id claimed with attribute_not_exists) and the company's index item in one transaction. */
  create(channel: PushChannel): Promise<void>;
  /** Records what events.watch answered (Google's resource id and the real expiration) on a stored channel. */
  confirm(channelId: string, opened: { resourceId: string; expirationMs: number }): Promise<void>;
  get(channelId: string): Promise<PushChannel | undefined>;
  /**
   * Notes a notification: true when `messageNumber` is above every number seen on the channel (one conditional
   * write), false for a duplicate or an older message, or a channel that is gone.
   */
  recordMessage(channelId: string, messageNumber: number, at: string): Promise<boolean>;
  listForCompany(companyId: string): Promise<PushChannel[]>;
  /** Every channel, soonest expiry first (for the renewal job). */
  listAll(): Promise<PushChannel[]>;
  delete(channel: Pick<PushChannel, 'id' | 'companyId' | 'calendarId'>): Promise<void>;
};

export type ChannelApi = {
  watch(
    credentials: GoogleCredentials,
    calendarId: string,
    request: { id: string; token: string; address: string; expirationMs?: number },
  ): Promise<{ resourceId: string; expirationMs: number }>;
  stop(credentials: GoogleCredentials, channel: { id: string; resourceId: string }): Promise<void>;
};

export type ChannelDeps = {
  channels: ChannelRepo;
  google: ChannelApi;
  connections: Pick<ConnectionRepo, 'get' | 'markNeedsReconsent' | 'ownerContact'>;
  cipher: TokenCipher;
  clock: Clock;
  /** Where Google posts notifications (`<WEBHOOK_BASE_URL>/webhooks/google`); no channels are opened without it. */
  webhookAddress?: string;
  log: Log;
};

export type RenewalDeps = ChannelDeps & {
  calendars: Pick<CompanyCalendarRepo, 'get' | 'pageAllEnabled'>;
  /** Channels expiring within this many ms are renewed. */
  renewWithinMs: number;
};

export type NotificationDeps = {
  channels: Pick<ChannelRepo, 'get' | 'recordMessage'>;
  queue: QueueChannel;
  clock: Clock;
  /** Counts a verified notification against its channel's limit; throws RateLimited when it is used up (lib/limits). */
  limitNotification?: (channelId: string) => Promise<void>;
};

/** Opening and stopping channels as the company calendar use cases see it (enable / disable). */
export type CalendarChannels = {
  openFor(calendar: CompanyCalendar): Promise<void>;
  stopFor(companyId: string, calendarId: string): Promise<void>;
  /** The company's channels as GET /companies/{id}/sync shows them (no token hash). */
  listFor(companyId: string): Promise<ChannelView[]>;
};

export type ChannelView = { calendarId: string; channelId: string; expiration: string; lastNotificationAt?: string; lastMessageNumber?: number };
