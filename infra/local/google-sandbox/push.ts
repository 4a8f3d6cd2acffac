// Push notification channels (events.watch / channels.stop) and their delivery to webhook addresses,
// with the headers Google sends. Delivery is fire-and-forget: failures are logged, never thrown.
import http from 'node:http';
import https from 'node:https';
import { apiErrors, GoogleApiError } from './errors';
import { Calendar, Channel, SandboxState } from './store';

const DAY_MS = 24 * 60 * 60 * 1000;
const DEFAULT_TTL_MS = 7 * DAY_MS;
/** Google caps channel lifetimes; longer requested expirations are silently shortened. */
const MAX_TTL_MS = 30 * DAY_MS;
/** Google gives up on a push delivery after a few seconds. */
export const DEFAULT_DELIVERY_TIMEOUT_MS = 5000;

type ResourceState = 'sync' | 'exists' | 'not_exists';

export interface PushOptions {
  /** Changes within this window are coalesced into one message per channel, as Google batches them. */
  coalesceMs: number;
  /** A delivery not answered within this many ms counts as failed (default DEFAULT_DELIVERY_TIMEOUT_MS). */
  deliveryTimeoutMs?: number;
}

export class PushService {
  /** Channels with a change message waiting for the coalescing timer. */
  private readonly pending = new Map<string, ResourceState>();
  /** Per channel, the tail of its delivery chain: messages to one address go out in order. */
  private readonly queues = new Map<string, Promise<void>>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly state: SandboxState,
    private readonly options: PushOptions,
  ) {
    state.onCalendarChanged = (calendarId, resourceState) => this.calendarChanged(calendarId, resourceState);
  }

  watch(calendar: Calendar, email: string, body: Record<string, unknown>, baseUrl: string): Record<string, unknown> {
    const id = body?.id;
    if (typeof id !== 'string' || !id) throw apiErrors.badRequest('Required channel id.', 'required', 'id');
    if (!/^[A-Za-z0-9\-_+/=]{1,64}$/.test(id)) throw apiErrors.badRequest('Invalid channel id.', 'invalid', 'id');
    if (body.type !== 'web_hook' && body.type !== 'webhook') {
      throw apiErrors.badRequest(`Unsupported channel type: ${String(body.type)}`, 'invalid', 'type');
    }
    const address = body.address;
    if (typeof address !== 'string' || !/^https?:\/\//.test(address) || !URL.canParse(address)) {
      throw apiErrors.badRequest('Invalid channel address: a http(s) URL is required.', 'invalid', 'address');
    }
    const existing = this.state.channels.get(id);
    if (existing && !existing.stopped) throw apiErrors.badRequest(`Channel id ${id} not unique`, 'channelIdNotUnique');
    if (body.token !== undefined && typeof body.token !== 'string') throw apiErrors.badRequest('Invalid channel token.', 'invalid', 'token');

    const now = Date.now();
    let expiration = now + DEFAULT_TTL_MS;
    const ttlSeconds = Number((body.params as Record<string, unknown> | undefined)?.ttl);
    if (Number.isFinite(ttlSeconds) && ttlSeconds > 0) expiration = now + ttlSeconds * 1000;
    if (body.expiration !== undefined && body.expiration !== null) {
      const requested = Number(body.expiration);
      if (!Number.isFinite(requested)) throw apiErrors.badRequest('Invalid expiration.', 'invalid', 'expiration');
      if (requested <= now) throw apiErrors.badRequest('Channel expiration is in the past.', 'invalid', 'expiration');
      expiration = requested;
    }
    expiration = Math.min(expiration, now + MAX_TTL_MS);

    const channel: Channel = {
      id,
      resourceId: calendar.resourceId,
      resourceUri: `${baseUrl}/calendar/v3/calendars/${encodeURIComponent(calendar.id)}/events?alt=json`,
      token: body.token as string | undefined,
      address,
      expiration,
      calendarId: calendar.id,
      email,
      createdAt: now,
      messageNumber: 0,
      stopped: false,
    };
    this.state.channels.set(id, channel);
    this.enqueue(channel, 'sync'); // Google confirms a new channel with a `sync` message
    return {
      kind: 'api#channel',
      id,
      resourceId: channel.resourceId,
      resourceUri: channel.resourceUri,
      ...(channel.token !== undefined ? { token: channel.token } : {}),
      expiration: String(expiration),
    };
  }

  stop(body: Record<string, unknown>): void {
    if (typeof body?.id !== 'string' || typeof body.resourceId !== 'string') {
      throw apiErrors.badRequest('Required: id and resourceId.', 'required');
    }
    const channel = this.state.channels.get(body.id);
    if (!channel || channel.stopped || channel.resourceId !== body.resourceId) {
      throw new GoogleApiError(404, `Channel '${body.id}' not found for project 'sandbox'`, 'notFound');
    }
    channel.stopped = true;
    this.pending.delete(channel.id);
  }

  listChannels(): Array<Channel & { expired: boolean }> {
    const now = Date.now();
    return [...this.state.channels.values()].map((channel) => ({ ...channel, expired: channel.expiration <= now }));
  }

  /** Resolves when every message queued so far has been delivered (or has failed). */
  async flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
      this.sendPending();
    }
    await Promise.all([...this.queues.values()]);
  }

  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.pending.clear();
  }

  private calendarChanged(calendarId: string, resourceState: 'exists' | 'not_exists'): void {
    for (const channel of this.state.channels.values()) {
      if (channel.calendarId !== calendarId || channel.stopped) continue;
      if (this.pending.get(channel.id) !== 'not_exists') this.pending.set(channel.id, resourceState);
    }
    if (this.pending.size > 0 && !this.timer) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.sendPending();
      }, this.options.coalesceMs);
      this.timer.unref();
    }
  }

  private sendPending(): void {
    const batch = [...this.pending];
    this.pending.clear();
    for (const [channelId, resourceState] of batch) {
      const channel = this.state.channels.get(channelId);
      if (channel) this.enqueue(channel, resourceState);
    }
  }

  private enqueue(channel: Channel, resourceState: ResourceState): void {
    const previous = this.queues.get(channel.id) ?? Promise.resolve();
    const next = previous.then(() => this.deliver(channel, resourceState));
    this.queues.set(channel.id, next);
    void next.then(() => {
      if (this.queues.get(channel.id) === next) this.queues.delete(channel.id);
    });
  }

  private async deliver(channel: Channel, resourceState: ResourceState): Promise<void> {
    // A channel stopped, expired or dropped by a reset after the message was queued gets nothing.
    if (channel.stopped || channel.expiration <= Date.now() || this.state.channels.get(channel.id) !== channel) return;
    channel.messageNumber += 1;
    const headers: Record<string, string> = {
      'X-Goog-Channel-ID': channel.id,
      'X-Goog-Channel-Expiration': new Date(channel.expiration).toUTCString(),
      'X-Goog-Resource-ID': channel.resourceId,
      'X-Goog-Resource-URI': channel.resourceUri,
      'X-Goog-Resource-State': resourceState,
      'X-Goog-Message-Number': String(channel.messageNumber),
      'Content-Length': '0',
      'User-Agent': 'APIs-Google; (+https://developers.google.com/webmasters/APIs-Google.html)',
    };
    if (channel.token !== undefined) headers['X-Goog-Channel-Token'] = channel.token;
    const entry = {
      channelId: channel.id,
      address: channel.address,
      resourceState,
      messageNumber: channel.messageNumber,
      at: new Date().toISOString(),
    };
    try {
      const status = await post(channel.address, headers, this.options.deliveryTimeoutMs ?? DEFAULT_DELIVERY_TIMEOUT_MS);
      this.state.appendPushLog({ ...entry, ok: status >= 200 && status < 300, status });
    } catch (error) {
      this.state.appendPushLog({ ...entry, ok: false, error: (error as Error).message });
    }
  }
}

/** One POST with an empty body; resolves with the status, rejects on network errors and timeouts. */
function post(address: string, headers: Record<string, string>, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const url = new URL(address);
    const request = (url.protocol === 'https:' ? https : http).request(url, { method: 'POST', headers, agent: false, timeout: timeoutMs });
    request.on('response', (response) => {
      response.resume(); // drain, the body does not matter
      response.on('end', () => resolve(response.statusCode ?? 0));
      response.on('error', reject);
    });
    request.on('timeout', () => request.destroy(new Error(`timed out after ${timeoutMs} ms`)));
    request.on('error', reject);
    request.end();
  });
}
