// Routes of the contract: Meetings, calendars and free time (function events).
// lib/http/contract.ts gathers every group for /openapi.json; a handler imports its own group only, so that its
// bundle holds no other feature's schemas.
import { defineRoute } from '../route';
import * as meetings from '../../meetings/schemas';

export const routes = {
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
};
