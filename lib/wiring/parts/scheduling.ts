// Scheduling wired: event types, bookings and their lock cells, the host's busy time, the write-back of bookings.
import { verifyToken } from './bearer';
import { getConfig } from '../../config';
import { systemClock } from '../../kernel/clock';
import { busyIntervals } from '../../meetings/calendar-view';
import type { SchedulingDeps } from '../../scheduling/ports';
import { bookingStore } from '../../store/booking-store';
import { eventTypeStore } from '../../store/event-type-store';
import { userStore } from '../../store/user-store';
import { googleBusy, meetingsOnly } from './calendar';
import { writeBackRequests } from './requests';

export function schedulingDeps(): SchedulingDeps {
  const meetings = meetingsOnly();
  return {
    eventTypes: eventTypeStore,
    bookings: bookingStore,
    users: userStore,
    clock: systemClock,
    hostBusy: (hostId, range) => busyIntervals(meetings, hostId, range),
    externalBusy: googleBusy(),
    verifyBearer: verifyToken,
    publicBaseUrl: () => getConfig().PUBLIC_BASE_URL,
    writeBack: writeBackRequests(),
  };
}
