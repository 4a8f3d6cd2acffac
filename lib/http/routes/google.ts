// Routes of the contract: Google OAuth, connections and push notifications (functions google and googleWebhook).
// lib/http/contract.ts gathers every group for /openapi.json; a handler imports its own group only, so that its
// bundle holds no other feature's schemas.
import { defineRoute } from '../route';
import * as google from '../../connections/schemas';
import * as push from '../../push/schemas';

export const routes = {
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
};
