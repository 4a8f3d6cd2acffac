// Every route of the HTTP API with its schemas: the handlers bind to these, /openapi.json is built from them.
import { z } from 'zod';
import { defineRoute } from './route';
import * as users from '../users/schemas';
import * as meetings from '../meetings/schemas';

export const healthReply = z.object({ status: z.literal('ok'), time: z.string() });

export const routes = {
  health: defineRoute({ method: 'GET', path: '/health', tag: 'meta', summary: 'Liveness check', auth: false, response: healthReply }),
  openApi: defineRoute({ method: 'GET', path: '/openapi.json', tag: 'meta', summary: 'This API as OpenAPI 3.1', auth: false }),

  signUp: defineRoute({
    method: 'POST', path: '/users', tag: 'users', summary: 'Sign up', auth: false,
    body: users.signUpBody, response: users.tokenReply, successStatus: 201,
  }),
  logIn: defineRoute({ method: 'POST', path: '/auth/login', tag: 'users', summary: 'Log in', auth: false, body: users.logInBody, response: users.loginReply }),
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
};
