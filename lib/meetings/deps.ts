// The production wiring of the meeting use cases' ports.
import { reminderScheduler } from '../reminders/deps';
import { bookingBusySource, bookingOccurrenceSource } from '../scheduling/calendar-sources';
import { bookingStore } from '../store/booking-store';
import { colleagueStore } from '../store/colleague-store';
import { googleBusySource, googleOccurrenceSource } from '../sync/calendar-sources';
import { googleCalendarSourceDeps } from '../sync/calendar-source-deps';
import { meetingStore } from '../store/meeting-store';
import { userStore } from '../store/user-store';
import { systemClock } from '../users/ports';
import { writeBackRequests } from '../write-back/request-deps';
import type { CalendarDeps } from './calendar-view';

export const calendarDeps: CalendarDeps = {
  meetings: meetingStore,
  users: userStore,
  clock: systemClock,
  busySources: [bookingBusySource(bookingStore), googleBusySource(googleCalendarSourceDeps)],
  occurrenceSources: [bookingOccurrenceSource(bookingStore), googleOccurrenceSource(googleCalendarSourceDeps)],
  reminders: reminderScheduler,
  writeBack: writeBackRequests,
  colleagues: colleagueStore,
};
