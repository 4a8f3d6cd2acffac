// Calendar views wired: meetings, bookings and synced Google busy time, as the meetings and scheduling use cases read them.
import type { BusySource } from '../../meetings/ports';
import type { CalendarDeps } from '../../meetings/calendar-view';
import { bookingBusySource, bookingOccurrenceSource } from '../../scheduling/calendar-sources';
import { systemClock } from '../../kernel/clock';
import { bookingStore } from '../../store/booking-store';
import { colleagueStore } from '../../store/colleague-store';
import { meetingStore } from '../../store/meeting-store';
import { userStore } from '../../store/user-store';
import { googleBusySource, googleOccurrenceSource } from '../../sync/calendar-sources';
import { reminderScheduler } from './reminders';
import { googleCalendarSources } from './sync-ports';
import { writeBackRequests } from './requests';

export function calendarDeps(): CalendarDeps {
  const google = googleCalendarSources();
  return {
    meetings: meetingStore,
    users: userStore,
    clock: systemClock,
    busySources: [bookingBusySource(bookingStore), googleBusySource(google)],
    occurrenceSources: [bookingOccurrenceSource(bookingStore), googleOccurrenceSource(google)],
    reminders: reminderScheduler(),
    writeBack: writeBackRequests(),
    colleagues: colleagueStore,
  };
}

/** A host's busy time from meetings alone (bookings hold their own cells; Google busy time is read apart). */
export function meetingsOnly(): CalendarDeps {
  return { meetings: meetingStore, users: userStore, clock: systemClock, busySources: [], colleagues: colleagueStore };
}

export function googleBusy(): BusySource {
  return googleBusySource(googleCalendarSources());
}
