// A Google push notification: known channel, right token (constant time), not the initial `sync` message, not
// a duplicate or older message number; then the company's sync is queued. Never calls Google: one GetItem,
// one conditional write, one SQS send at most.
import { timingSafeEqual } from 'node:crypto';
import { InvalidInput, NotFound, Unauthorized } from '../domain/errors';
import { hashChannelToken } from './channels';
import type { NotificationDeps } from './ports';

export type NotificationOutcome = 'queued' | 'sync_message' | 'duplicate';

export async function receiveNotification(deps: NotificationDeps, headers: Record<string, string | undefined>): Promise<NotificationOutcome> {
  const channelId = headers['x-goog-channel-id'];
  const state = headers['x-goog-resource-state'];
  const number = Number(headers['x-goog-message-number']);
  const missing = [
    ...(!channelId ? [{ field: 'X-Goog-Channel-ID', message: 'Required' }] : []),
    ...(!state ? [{ field: 'X-Goog-Resource-State', message: 'Required' }] : []),
    ...(!Number.isSafeInteger(number) || number < 1 ? [{ field: 'X-Goog-Message-Number', message: 'A positive integer is required' }] : []),
  ];
  if (missing.length) throw new InvalidInput('Not a Google push notification', missing);
  const channel = await deps.channels.get(channelId!);
  if (!channel) throw new NotFound('Channel');
  // Both sides hashed, so the comparison has a fixed length and reveals nothing through its timing.
  const given = Buffer.from(hashChannelToken(headers['x-goog-channel-token'] ?? ''));
  if (!timingSafeEqual(given, Buffer.from(channel.tokenHash))) throw new Unauthorized('unauthorized', 'The channel token does not match');
  // Counted once the channel and its token are proven, so that forged notifications cannot use up a real channel's limit.
  await deps.limitNotification?.(channel.id);
  if (state === 'sync') return 'sync_message';
  if (!(await deps.channels.recordMessage(channel.id, number, deps.clock.now().toISOString()))) return 'duplicate';
  await deps.queue.send([{ kind: 'sync', companyId: channel.companyId, trigger: 'push' }]);
  return 'queued';
}
