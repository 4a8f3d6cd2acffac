// What /openapi.json says beyond the schemas: each operation's error codes and an example request body.
// The codes are typed by the error table's union; a test checks that every example passes its route's validation.
import type { ResponseErrorCode } from './errors';
import type { RouteSpec } from './route';

/** Codes every route of a kind can answer: derived from its inputs and auth, so they cannot be forgotten. */
export function commonErrorCodes(spec: RouteSpec): ResponseErrorCode[] {
  const codes: ResponseErrorCode[] = [];
  if (spec.body || spec.query || spec.params) codes.push('invalid_input');
  if (spec.body) codes.push('invalid_json', 'payload_too_large', 'unsupported_media_type');
  if (spec.auth) codes.push('unauthorized', 'invalid_token', 'token_expired', 'token_revoked');
  if (spec.params) codes.push('not_found');
  return codes;
}

/** Public routes that also take a bearer token (the host instead of a link's token; the user who started OAuth). */
export const OPTIONAL_BEARER = new Set(['googleOAuthCallback', 'getBookingInvitation', 'cancelBooking', 'rescheduleBooking']);

/** The codes a route's use case adds to the common ones. */
export const OPERATION_ERRORS: Record<string, ResponseErrorCode[]> = {
  signUp: ['email_taken', 'rate_limited'],
  logIn: ['invalid_credentials', 'rate_limited'],
  changePassword: ['wrong_password'],
  updateMe: ['not_found', 'reconsent_required', 'write_access_required'],
  createEvent: ['invalid_recurrence', 'not_found'],
  updateEvent: ['invalid_recurrence', 'forbidden'],
  deleteEvent: ['forbidden'],
  acceptEvent: ['forbidden'],
  declineEvent: ['forbidden'],
  freeTime: ['no_free_time', 'not_found'],
  updateEventType: ['conflict'],
  createBooking: [
    'slot_taken', 'daily_limit_reached', 'booking_busy', 'not_a_slot', 'slot_in_past', 'inside_minimum_notice', 'outside_booking_window',
    'idempotency_key_reused', 'rate_limited', 'booking_too_large',
  ],
  getBookingInvitation: ['forbidden'],
  cancelBooking: ['forbidden', 'booking_busy'],
  rescheduleBooking: [
    'forbidden', 'slot_taken', 'booking_cancelled', 'seat_cannot_move', 'booking_busy', 'conflict', 'not_a_slot', 'slot_in_past', 'inside_minimum_notice',
    'outside_booking_window', 'daily_limit_reached', 'booking_move_too_large',
  ],
  getCompany: ['forbidden'],
  addCompanyMember: ['forbidden', 'owner_required'],
  removeCompanyMember: ['forbidden', 'owner_required'],
  listCompanyCalendars: ['forbidden'],
  enableCompanyCalendar: ['forbidden', 'calendar_not_readable', 'calendar_taken', 'google_calendar_not_found', 'reconsent_required', 'google_unavailable'],
  disableCompanyCalendar: ['forbidden'],
  requestCompanySync: ['forbidden', 'rate_limited'],
  getCompanySync: ['forbidden'],
  listCompanyEvents: ['forbidden'],
  listCompanyOverlaps: ['forbidden'],
  googleOAuthCallback: ['invalid_state', 'oauth_state_unbound', 'oauth_failed', 'unauthorized', 'invalid_token', 'token_expired'],
  deleteGoogleConnection: ['forbidden'],
  listGoogleCalendars: ['forbidden', 'reconsent_required', 'google_unavailable', 'google_request_failed'],
  listGoogleCalendarEvents: ['forbidden', 'google_calendar_not_found', 'reconsent_required', 'google_unavailable', 'google_request_failed'],
  googleWebhook: ['forbidden', 'rate_limited'],
};

const hours = { mon: [{ start: '09:00', end: '17:00' }], tue: [{ start: '09:00', end: '17:00' }] };

/** One valid request body per operation that takes one (a test parses each with the route's schema). */
export const REQUEST_EXAMPLES: Record<string, unknown> = {
  signUp: { name: 'Ada Lovelace', email: 'ada@example.com', password: 'correct horse battery', timeZone: 'Europe/Berlin', workingHours: hours },
  logIn: { email: 'ada@example.com', password: 'correct horse battery' },
  changePassword: { currentPassword: 'correct horse battery', newPassword: 'another long passphrase' },
  updateMe: { timeZone: 'Europe/Berlin', workingHours: hours, reminderMinutes: [10] },
  createEvent: {
    title: 'Design review',
    start: '2031-03-03T10:00:00+01:00',
    durationMinutes: 45,
    timeZone: 'Europe/Berlin',
    attendeeIds: ['01JC0000000000000000000000'],
    recurrence: { frequency: 'weekly', byWeekday: ['MO'], count: 10 },
  },
  updateEvent: { title: 'Design review (moved)', start: '2031-03-03T11:00:00+01:00', durationMinutes: 45 },
  createEventType: {
    name: 'Intro call',
    kind: 'one_on_one',
    durationMinutes: 30,
    availability: { timeZone: 'Europe/Berlin', weekly: hours, rollingDays: 60, overrides: [{ date: '2031-03-10', intervals: [{ start: '13:00', end: '15:00' }] }] },
    bufferAfterMinutes: 10,
    minNoticeMinutes: 240,
    dailyLimit: 4,
    questions: [{ id: 'topic', label: 'What should we talk about?', type: 'select', required: true, options: ['Pricing', 'Roadmap'] }],
  },
  updateEventType: { durationMinutes: 45 },
  createBooking: { start: '2031-03-03T09:00:00+01:00', name: 'Grace Hopper', email: 'grace@example.com', timeZone: 'America/New_York', notes: 'About the roadmap', answers: { topic: 'Roadmap' } },
  rescheduleBooking: { start: '2031-03-04T10:00:00+01:00' },
  createCompany: { name: 'Venue GmbH' },
  enableCompanyCalendar: { connectionId: '01JC0000000000000000000000' },
  addCompanyMember: { role: 'admin' },
};
