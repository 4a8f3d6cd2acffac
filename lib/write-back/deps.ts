// The production wiring of write-back: the worker's ports and the sync's inbound port (requests: request-deps.ts).
import { lazyCipher } from '../google/clients';
import { bookingStore } from '../store/booking-store';
import { connectionStore } from '../store/connection-store';
import { meetingStore } from '../store/meeting-store';
import { userStore } from '../store/user-store';
import { writeBackStore } from '../store/write-back-store';
import { secret } from '../secrets';
import { systemClock } from '../users/ports';
import type { SyncDeps } from '../sync/ports';
import { reminderScheduler } from '../reminders/deps';
import { reconcileInbound } from './inbound';
import type { EventWriter, WriteBackDeps, WriteBackSource } from './ports';
import { googleEventIdFor } from './write-back';

// The Google libraries are imported on the first write, not with the function.
let writer: Promise<EventWriter> | undefined;
// The client secret comes from googleClientConfig() (lib/secrets.ts), loaded with the OAuth module it lives in.
const googleWriter = () =>
  (writer ??= Promise.all([import('../google/event-writer'), import('../google/oauth-client')]).then(([{ createGoogleEventWriter }, { googleClientConfig }]) =>
    createGoogleEventWriter(googleClientConfig()),
  ));
const lazyWriter: EventWriter = {
  insert: async (...args) => (await googleWriter()).insert(...args),
  patch: async (...args) => (await googleWriter()).patch(...args),
  delete: async (...args) => (await googleWriter()).delete(...args),
};

/** Our Google event ids, keyed with AUTH_SECRET (the sync worker loads it; AUTH_SECRET is required, so never undefined). */
export const eventIdFor = (source: WriteBackSource, sourceId: string): string => googleEventIdFor(secret('AUTH_SECRET')!, source, sourceId);

/** The sync's port for events carrying our marker; meetings it moves keep their reminders in step, bookings their lock cells. */
export function inboundChanges(): NonNullable<SyncDeps['inbound']> {
  const meetings = {
    meetings: meetingStore,
    users: userStore,
    clock: systemClock,
    reminders: reminderScheduler,
  };
  const scheduling = { bookings: bookingStore, clock: systemClock };
  return { reconcile: (items, previous, from) => reconcileInbound({ records: writeBackStore, meetings, scheduling }, items, previous, from) };
}

export function createWriteBackDeps(): WriteBackDeps {
  return {
    records: writeBackStore,
    users: userStore,
    meetings: meetingStore,
    bookings: bookingStore,
    connections: connectionStore,
    cipher: lazyCipher,
    google: lazyWriter,
    eventIdFor,
    clock: systemClock,
  };
}
