// Routes of the contract: Event types, the public booking link and bookings (functions eventTypes, book, bookings).
// lib/http/contract.ts gathers every group for /openapi.json; a handler imports its own group only, so that its
// bundle holds no other feature's schemas.
import { defineRoute } from '../route';
import * as scheduling from '../../scheduling/schemas';

export const routes = {
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
  rescheduleBooking: defineRoute({
    method: 'POST', path: '/bookings/{bookingId}/reschedule', tag: 'booking', summary: 'Move a booking to another of its slots (cancel token or host bearer token)', auth: false,
    params: scheduling.bookingIdParams, query: scheduling.bookingAccessQuery, body: scheduling.rescheduleBookingBody, response: scheduling.rescheduleReply,
  }),
};
