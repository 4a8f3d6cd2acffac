// The production wiring of the scheduling use cases' ports.
import { verifyToken } from '../auth/bearer';
import { getConfig } from '../config';
import { busyIntervals } from '../meetings/calendar-view';
import type { BusySource } from '../meetings/ports';
import { bookingStore } from '../store/booking-store';
import { colleagueStore } from '../store/colleague-store';
import { googleBusySource } from '../sync/calendar-sources';
import { googleCalendarSourceDeps } from '../sync/calendar-source-deps';
import { eventTypeStore } from '../store/event-type-store';
import { meetingStore } from '../store/meeting-store';
import { userStore } from '../store/user-store';
import { systemClock } from '../users/ports';
import { writeBackRequests } from '../write-back/request-deps';
import type { SchedulingDeps } from './ports';

// Meetings only: bookings block slots through their lock spans, which include buffers.
// Colleagues: a stranger's unanswered invitation does not block the host's slots.
const meetingsOnly = { meetings: meetingStore, users: userStore, clock: systemClock, busySources: [], colleagues: colleagueStore };

/** Synced Google time of the host's own connections (free `transparent` events excluded). */
const googleBusy: BusySource = googleBusySource(googleCalendarSourceDeps);

export const schedulingDeps: SchedulingDeps = {
  eventTypes: eventTypeStore,
  bookings: bookingStore,
  users: userStore,
  clock: systemClock,
  hostBusy: (hostId, range) => busyIntervals(meetingsOnly, hostId, range),
  externalBusy: googleBusy,
  verifyBearer: verifyToken,
  publicBaseUrl: () => getConfig().PUBLIC_BASE_URL,
  writeBack: writeBackRequests,
};
