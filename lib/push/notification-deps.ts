// The webhook's wiring, kept apart from the channel wiring (deps.ts) so that its bundle carries no Google or
// KMS client: a notification needs the channel store, the queue, a clock and its rate-limit counter, nothing more.
import { limitDeps } from '../limits/deps';
import { limitNotification } from '../limits/rate-limits';
import { queueChannel } from '../queue/sqs-queue';
import { channelStore } from '../store/channel-store';
import { pendingSyncStore } from '../store/pending-sync-store';
import { coalescingQueueChannel } from '../sync/coalesce-syncs';
import { systemClock } from '../users/ports';
import type { NotificationDeps } from './ports';

export function createNotificationDeps(): NotificationDeps {
  // N notifications for one company while its sync is queued cost one sync (one conditional put each).
  return {
    channels: channelStore,
    queue: coalescingQueueChannel({ pending: pendingSyncStore, queue: queueChannel, clock: systemClock }),
    clock: systemClock,
    limitNotification: (channelId) => limitNotification(limitDeps, channelId),
  };
}
