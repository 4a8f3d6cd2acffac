// Every route of the HTTP API with its schemas: the handlers bind to these, /openapi.json is built from them.
import { z } from 'zod';
import { defineRoute } from './route';
import * as users from '../users/schemas';
import * as meetings from '../meetings/schemas';
import * as companies from '../companies/schemas';
import * as google from '../connections/schemas';
import * as scheduling from '../scheduling/schemas';
import * as notifications from '../reminders/schemas';
import * as pages from '../web/schemas';
import * as push from '../push/schemas';

export const healthReply = z.object({ status: z.literal('ok'), time: z.string() });

export const routes = {
  health: defineRoute({ method: 'GET', path: '/health', tag: 'meta', summary: 'Liveness check', auth: false, response: healthReply }),
  openApi: defineRoute({ method: 'GET', path: '/openapi.json', tag: 'meta', summary: 'This API as OpenAPI 3.1', auth: false }),

  signUp: defineRoute({
    method: 'POST', path: '/users', tag: 'users', summary: 'Sign up', auth: false,
    body: users.signUpBody, response: users.tokenReply, successStatus: 201,
  }),
  logIn: defineRoute({ method: 'POST', path: '/auth/login', tag: 'users', summary: 'Log in', auth: false, body: users.logInBody, response: users.loginReply }),
  logOut: defineRoute({
    method: 'POST', path: '/auth/logout', tag: 'users', summary: 'Log out: every token of your account is refused from now on (within a minute)', auth: true,
    successStatus: 204,
  }),
  changePassword: defineRoute({
    method: 'POST', path: '/users/me/password', tag: 'users', summary: 'Change your password: earlier tokens are refused (within a minute), the reply carries a new one', auth: true,
    body: users.changePasswordBody, response: users.sessionReply,
  }),
  getMe: defineRoute({ method: 'GET', path: '/users/me', tag: 'users', summary: 'Your profile', auth: true, response: users.privateProfile }),
  updateMe: defineRoute({
    method: 'PATCH', path: '/users/me', tag: 'users', summary: 'Change your profile', auth: true,
    body: users.updateProfileBody, response: users.privateProfile,
  }),
  getUser: defineRoute({
    method: 'GET', path: '/users/{userId}', tag: 'users', summary: "Someone's public profile", auth: true,
    params: users.userIdParams, response: users.publicProfile,
  }),

  createEvent: defineRoute({
    method: 'POST', path: '/events', tag: 'meetings', summary: 'Create a meeting (single or recurring)', auth: true,
    body: meetings.createEventBody, response: meetings.eventReply, successStatus: 201,
  }),
  getEvent: defineRoute({
    method: 'GET', path: '/events/{eventId}', tag: 'meetings', summary: 'Read a meeting (busy-only when private and you are not invited)', auth: true,
    params: meetings.eventIdParams, response: meetings.eventReply,
  }),
  updateEvent: defineRoute({
    method: 'PATCH', path: '/events/{eventId}', tag: 'meetings', summary: 'Change a meeting, or one occurrence with ?occurrence=<start>', auth: true,
    params: meetings.eventIdParams, query: meetings.occurrenceQuery, body: meetings.updateEventBody, response: meetings.eventReply,
  }),
  deleteEvent: defineRoute({
    method: 'DELETE', path: '/events/{eventId}', tag: 'meetings', summary: 'Delete a meeting, or cancel one occurrence with ?occurrence=<start>', auth: true,
    params: meetings.eventIdParams, query: meetings.occurrenceQuery, successStatus: 204,
  }),
  acceptEvent: defineRoute({
    method: 'POST', path: '/events/{eventId}/accept', tag: 'meetings', summary: 'Accept your invitation', auth: true,
    params: meetings.eventIdParams, response: meetings.eventReply,
  }),
  declineEvent: defineRoute({
    method: 'POST', path: '/events/{eventId}/decline', tag: 'meetings', summary: 'Decline your invitation', auth: true,
    params: meetings.eventIdParams, response: meetings.eventReply,
  }),
  listUserEvents: defineRoute({
    method: 'GET', path: '/users/{userId}/events', tag: 'meetings', summary: "Occurrences in a user's calendar (at most 366 days)", auth: true,
    params: meetings.userEventsParams, query: meetings.listEventsQuery, response: meetings.occurrenceList,
  }),
  freeTime: defineRoute({
    method: 'GET', path: '/free-time', tag: 'meetings', summary: 'The earliest interval in which every listed user is free', auth: true,
    query: meetings.freeTimeQuery, response: meetings.freeTimeReply,
  }),

  createEventType: defineRoute({
    method: 'POST', path: '/event-types', tag: 'scheduling', summary: 'Create an event type with its booking link', auth: true,
    body: scheduling.createEventTypeBody, response: scheduling.eventTypeReply, successStatus: 201,
  }),
  listEventTypes: defineRoute({
    method: 'GET', path: '/event-types', tag: 'scheduling', summary: 'Your event types', auth: true,
    query: scheduling.pageQuery, response: scheduling.eventTypeList,
  }),
  getEventType: defineRoute({
    method: 'GET', path: '/event-types/{eventTypeId}', tag: 'scheduling', summary: 'One of your event types', auth: true,
    params: scheduling.eventTypeIdParams, response: scheduling.eventTypeReply,
  }),
  updateEventType: defineRoute({
    method: 'PATCH', path: '/event-types/{eventTypeId}', tag: 'scheduling', summary: 'Change one of your event types (the slug stays)', auth: true,
    params: scheduling.eventTypeIdParams, body: scheduling.updateEventTypeBody, response: scheduling.eventTypeReply,
  }),
  deleteEventType: defineRoute({
    method: 'DELETE', path: '/event-types/{eventTypeId}', tag: 'scheduling', summary: 'Delete one of your event types (its bookings stay)', auth: true,
    params: scheduling.eventTypeIdParams, successStatus: 204,
  }),
  getBookingPage: defineRoute({
    method: 'GET', path: '/book/{slug}', tag: 'booking', summary: 'Public description of a booking link', auth: false,
    params: scheduling.slugParams, response: scheduling.bookingPageReply,
  }),
  listSlots: defineRoute({
    method: 'GET', path: '/book/{slug}/slots', tag: 'booking', summary: 'Bookable slots in a range (at most 62 days), in the guest\'s zone', auth: false,
    params: scheduling.slugParams, query: scheduling.slotsQuery, response: scheduling.slotList,
  }),
  createBooking: defineRoute({
    method: 'POST', path: '/book/{slug}/bookings', tag: 'booking', summary: 'Book a slot (optional Idempotency-Key header)', auth: false,
    params: scheduling.slugParams, body: scheduling.createBookingBody, response: scheduling.bookingReply, successStatus: 201,
  }),
  listBookings: defineRoute({
    method: 'GET', path: '/bookings', tag: 'booking', summary: 'Your bookings as a host, earliest first (default: from now)', auth: true,
    query: scheduling.bookingsQuery, response: scheduling.hostBookingList,
  }),
  getBookingInvitation: defineRoute({
    method: 'GET', path: '/bookings/{bookingId}/invite.ics', tag: 'booking', summary: 'The booking as an .ics invitation (cancel token or host bearer token)', auth: false,
    params: scheduling.bookingIdParams, query: scheduling.bookingAccessQuery,
  }),
  cancelBooking: defineRoute({
    method: 'DELETE', path: '/bookings/{bookingId}', tag: 'booking', summary: 'Cancel a booking (cancel token or host bearer token); the time is free again', auth: false,
    params: scheduling.bookingIdParams, query: scheduling.bookingAccessQuery, response: scheduling.cancelReply,
  }),

  createCompany: defineRoute({
    method: 'POST', path: '/companies', tag: 'companies', summary: 'Create a company (you become its owner)', auth: true,
    body: companies.createCompanyBody, response: companies.companyCreatedReply, successStatus: 201,
  }),
  listCompanies: defineRoute({
    method: 'GET', path: '/companies', tag: 'companies', summary: 'The companies you belong to', auth: true,
    query: companies.listQuery, response: companies.companyList,
  }),
  getCompany: defineRoute({
    method: 'GET', path: '/companies/{companyId}', tag: 'companies', summary: 'A company you belong to, with its members', auth: true,
    params: companies.companyIdParams, response: companies.companyReply,
  }),
  addCompanyMember: defineRoute({
    method: 'PUT', path: '/companies/{companyId}/members/{userId}', tag: 'companies',
    summary: 'Add a member or change their role: optional body {role: admin|member}, default member (owners and admins; the owner\'s role never changes: 422 owner_required)', auth: true,
    params: companies.memberParams, body: companies.memberBody, response: companies.memberReply,
  }),
  removeCompanyMember: defineRoute({
    method: 'DELETE', path: '/companies/{companyId}/members/{userId}', tag: 'companies', summary: 'Remove a member and disable the calendars that came through their connections (owners and admins; never the owner: 422 owner_required)', auth: true,
    params: companies.memberParams, successStatus: 204,
  }),
  listCompanyCalendars: defineRoute({
    method: 'GET', path: '/companies/{companyId}/calendars', tag: 'companies', summary: "The company's Google calendars with their sync state", auth: true,
    params: companies.companyIdParams, response: companies.companyCalendarList,
  }),
  enableCompanyCalendar: defineRoute({
    method: 'PUT', path: '/companies/{companyId}/calendars/{calendarId}', tag: 'companies',
    summary: 'Enable a Google calendar of one of your connections for the company (owners and admins; 409 calendar_taken when another company has it; 403 calendar_not_readable when the connection sees it only as free/busy)', auth: true,
    params: companies.companyCalendarParams, body: companies.enableCalendarBody, response: companies.companyCalendarReply,
  }),
  disableCompanyCalendar: defineRoute({
    method: 'DELETE', path: '/companies/{companyId}/calendars/{calendarId}', tag: 'companies', summary: "Disable a calendar; the company's copies of its events are removed (owners and admins)", auth: true,
    params: companies.companyCalendarParams, successStatus: 204,
  }),
  requestCompanySync: defineRoute({
    method: 'POST', path: '/companies/{companyId}/sync', tag: 'companies', summary: 'Queue a sync of every enabled calendar now (owners and admins)', auth: true,
    params: companies.companyIdParams, response: companies.syncQueuedReply, successStatus: 202,
  }),
  getCompanySync: defineRoute({
    method: 'GET', path: '/companies/{companyId}/sync', tag: 'companies', summary: 'Sync state per calendar and the sync log, newest first', auth: true,
    params: companies.companyIdParams, query: companies.syncLogQuery, response: companies.syncStatusReply,
  }),
  listCompanyEvents: defineRoute({
    method: 'GET', path: '/companies/{companyId}/events', tag: 'companies', summary: 'Synced events in a range (at most 366 days), series expanded', auth: true,
    params: companies.companyIdParams, query: companies.companyRangeQuery, response: companies.syncedOccurrenceList,
  }),
  listCompanyOverlaps: defineRoute({
    method: 'GET', path: '/companies/{companyId}/overlaps', tag: 'companies', summary: 'Pairs of synced events that overlap in time (free events excluded)', auth: true,
    params: companies.companyIdParams, query: companies.companyRangeQuery, response: companies.overlapList,
  }),

  googleOAuthStart: defineRoute({
    method: 'GET', path: '/oauth/google/start', tag: 'google', summary: "Redirect (302) to Google's consent page: offline access, PKCE, a single-use state, read-only scopes unless access=write; sets the HttpOnly cookie that binds the consent to this user agent", auth: true,
    query: google.oauthStartQuery, response: google.oauthStartReply, successStatus: 302,
  }),
  googleOAuthCallback: defineRoute({
    method: 'GET', path: '/oauth/google/callback', tag: 'google', summary: "Where Google returns after consent: stores the connection (tokens encrypted). Only for the agent that started it: the cookie set by /oauth/google/start, or the starting user's bearer token (else 400 oauth_state_unbound)", auth: false,
    query: google.oauthCallbackQuery, response: google.oauthCallbackReply,
  }),
  listGoogleConnections: defineRoute({
    method: 'GET', path: '/google/connections', tag: 'google', summary: 'Your Google connections', auth: true, response: google.connectionList,
  }),
  deleteGoogleConnection: defineRoute({
    method: 'DELETE', path: '/google/connections/{connectionId}', tag: 'google', summary: 'Forget a connection; the calendars it feeds are disabled', auth: true,
    params: google.connectionIdParams, successStatus: 204,
  }),
  listGoogleCalendars: defineRoute({
    method: 'GET', path: '/google/connections/{connectionId}/calendars', tag: 'google', summary: 'The calendars the Google account can see (live)', auth: true,
    params: google.connectionIdParams, response: google.remoteCalendarList,
  }),
  listGoogleCalendarEvents: defineRoute({
    method: 'GET', path: '/google/connections/{connectionId}/calendars/{calendarId}/events', tag: 'google',
    summary: 'Events of a calendar read live from Google, series expanded', auth: true,
    params: google.connectionCalendarParams, query: google.liveEventsQuery, response: google.liveEventList,
  }),
  googleWebhook: defineRoute({
    method: 'POST', path: '/webhooks/google', tag: 'google',
    summary: 'Google push notifications (X-Goog-Channel-ID, X-Goog-Channel-Token, X-Goog-Resource-State, X-Goog-Message-Number): queues the company sync. A Lambda function URL on AWS',
    auth: false, response: push.notificationReply,
  }),

  listNotifications: defineRoute({
    method: 'GET', path: '/users/me/notifications', tag: 'notifications', summary: 'Reminders delivered to you, newest first', auth: true,
    query: notifications.notificationListQuery, response: notifications.notificationList,
  }),

  pagesHome: defineRoute({ method: 'GET', path: '/', tag: 'pages', summary: 'Redirect (302) to the admin console at /app/', auth: false, successStatus: 302 }),
  pagesDocs: defineRoute({ method: 'GET', path: '/docs', tag: 'pages', summary: 'This API reference as an HTML page (Swagger UI over /openapi.json)', auth: false }),
  pagesRoot: defineRoute({ method: 'GET', path: '/app', tag: 'pages', summary: 'The admin console (an HTML page)', auth: false }),
  pagesFile: defineRoute({
    method: 'GET', path: '/app/{proxy+}', tag: 'pages', summary: 'The pages (/app/book/{slug}, console routes) and their static files', auth: false,
    params: pages.pagePathParams,
  }),
};
