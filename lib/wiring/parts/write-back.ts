// Write-back to Google wired: the worker's ports and the sync's check of changes made in Google to our copies
// (the requests that meetings and bookings queue are in requests.ts).
import { lazyCipher, lazyEventWriter } from '../../google/clients';
import { logger } from '../../http/logger';
import { systemClock } from '../../kernel/clock';
import { secret } from '../../secrets';
import { bookingStore } from '../../store/booking-store';
import { connectionStore } from '../../store/connection-store';
import { meetingStore } from '../../store/meeting-store';
import { userStore } from '../../store/user-store';
import { writeBackStore } from '../../store/write-back-store';
import type { SyncDeps } from '../../sync/ports';
import { reconcileInbound } from '../../write-back/inbound';
import type { WriteBackDeps } from '../../write-back/ports';
import type { WriteBackSource } from '../../meetings/ports';
import { googleEventIdFor } from '../../write-back/write-back';
import { reminderScheduler } from './reminders';

/** The id of our copy of a meeting or booking in Google: keyed with AUTH_SECRET, so nobody else can forge it. */
export const eventIdFor = (source: WriteBackSource, sourceId: string): string => googleEventIdFor(secret('AUTH_SECRET')!, source, sourceId);

/** The sync's check of changes made in Google to our own copies (lib/write-back/inbound.ts). */
export function inboundChanges(): NonNullable<SyncDeps['inbound']> {
  const meetings = { meetings: meetingStore, users: userStore, clock: systemClock, reminders: reminderScheduler() };
  const scheduling = { bookings: bookingStore, clock: systemClock, users: userStore };
  return { reconcile: (items, previous, from) => reconcileInbound({ records: writeBackStore, meetings, scheduling, log: logger }, items, previous, from) };
}

export function writeBackDeps(): WriteBackDeps {
  return {
    records: writeBackStore,
    users: userStore,
    meetings: meetingStore,
    bookings: bookingStore,
    connections: connectionStore,
    cipher: lazyCipher,
    google: lazyEventWriter,
    eventIdFor,
    clock: systemClock,
    log: logger,
  };
}
