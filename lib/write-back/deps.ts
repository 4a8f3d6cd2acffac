// The production wiring of write-back: the worker's ports and the sync's inbound port (requests: request-deps.ts).
import { getConfig } from '../config';
import { lazyCipher } from '../google/clients';
import { bookingStore } from '../store/booking-store';
import { connectionStore } from '../store/connection-store';
import { meetingStore } from '../store/meeting-store';
import { userStore } from '../store/user-store';
import { writeBackStore } from '../store/write-back-store';
import { systemClock } from '../users/ports';
import type { SyncDeps } from '../sync/ports';
import { reminderScheduler } from '../reminders/deps';
import { reconcileInbound } from './inbound';
import type { EventWriter, WriteBackDeps } from './ports';

// The Google libraries are imported on the first write, not with the function.
let writer: Promise<EventWriter> | undefined;
const googleWriter = () => (writer ??= import('../google/event-writer').then(({ createGoogleEventWriter }) => createGoogleEventWriter(getConfig())));
const lazyWriter: EventWriter = {
  insert: async (...args) => (await googleWriter()).insert(...args),
  patch: async (...args) => (await googleWriter()).patch(...args),
  delete: async (...args) => (await googleWriter()).delete(...args),
};

/** The sync's port for events carrying our marker; meetings it moves keep their reminders in step, bookings their lock cells. */
export function inboundChanges(): NonNullable<SyncDeps['inbound']> {
  const meetings = {
    meetings: meetingStore,
    users: userStore,
    clock: systemClock,
    reminders: reminderScheduler,
  };
  const scheduling = { bookings: bookingStore, clock: systemClock };
  return { reconcile: (items, previous) => reconcileInbound({ records: writeBackStore, meetings, scheduling }, items, previous) };
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
    clock: systemClock,
  };
}
