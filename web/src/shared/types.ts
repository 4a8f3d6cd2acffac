// The JSON shapes the pages read, as the API documents them in /openapi.json (only the fields used here).

export type DayRange = { start: string; end: string };
export type WeekdayKey = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';
export const WEEKDAYS: WeekdayKey[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
export type WorkingHours = Partial<Record<WeekdayKey, DayRange[]>>;

export type Profile = {
  id: string;
  name: string;
  email: string;
  timeZone: string;
  workingHours: WorkingHours;
  reminderMinutes: number[];
  destinationCalendar?: { connectionId: string; calendarId: string };
};

export type EventTypeKind = 'one_on_one' | 'group' | 'one_off';

export type EventType = {
  id: string;
  slug: string;
  bookingUrl: string;
  name: string;
  kind: EventTypeKind;
  durationMinutes: number;
  seats?: number;
  availability?: { timeZone: string; weekly: WorkingHours };
  slots?: { start: string }[];
  bufferBeforeMinutes: number;
  bufferAfterMinutes: number;
  minNoticeMinutes: number;
};

export type BookingPage = { slug: string; hostName: string; name: string; kind: EventTypeKind; durationMinutes: number; timeZone: string; seats?: number };
export type Slot = { start: string; end: string; seatsLeft: number };
export type BookingConfirmation = { id: string; start: string; end: string; timeZone: string; cancelToken: string; icsUrl: string };
/** POST /bookings/{id}/reschedule: the booking at its new time (the booking reply's shape; the token stays the guest's). */
export type RescheduledBooking = { id: string; start: string; end: string; timeZone?: string; icsUrl?: string };
export type CancelledBooking = { id: string; status: 'cancelled'; start: string; end: string };

export type HostBooking = {
  id: string;
  eventTypeId: string;
  eventTypeName: string;
  start: string;
  end: string;
  guest: { name: string; email: string; timeZone?: string };
  notes?: string;
  /** The host's Google copy sits at another time the booking could not take. */
  googleConflict?: { start: string; end: string; reason: string };
};
