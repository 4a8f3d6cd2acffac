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

export type QuestionType = 'text' | 'textarea' | 'select' | 'checkbox' | 'phone';
export type Question = { id: string; label: string; type: QuestionType; required?: boolean; options?: string[] };
export type DateOverride = { date: string; intervals: DayRange[] };
export type Availability = { timeZone: string; weekly: WorkingHours; dateFrom?: string; dateTo?: string; dates?: string[]; rollingDays?: number; overrides?: DateOverride[] };

export type EventType = {
  id: string;
  slug: string;
  bookingUrl: string;
  name: string;
  kind: EventTypeKind;
  durationMinutes: number;
  seats?: number;
  availability?: Availability;
  slots?: { start: string }[];
  bufferBeforeMinutes: number;
  bufferAfterMinutes: number;
  minNoticeMinutes: number;
  dailyLimit?: number;
  questions?: Question[];
};

export type BookingPage = {
  slug: string;
  hostName: string;
  name: string;
  kind: EventTypeKind;
  durationMinutes: number;
  timeZone: string;
  seats?: number;
  questions?: Question[];
};
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
  answers?: { questionId: string; label: string; value: string | boolean }[];
  /** The host's Google copy sits at another time the booking could not take. */
  googleConflict?: { start: string; end: string; reason: string };
};
