// Request and reply shapes of the Google routes (OAuth and connections): validation and /openapi.json.
import * as z from 'zod';
import { googleCalendarId, MAX_COMPANY_RANGE_DAYS, syncedOccurrence } from '../companies/schemas';
import { rangeQuery } from '../kernel/input-shapes';

export const oauthStartQuery = z.object({
  loginHint: z.email('Not a valid email address').max(254).optional().meta({ description: "Pre-selects the Google account (Google's login_hint)" }),
  access: z
    .enum(['read', 'write'])
    .default('read')
    .meta({ description: 'read: calendars read-only (sync); write: also write events, needed for a destination calendar. Scopes granted before are kept (incremental authorization)' }),
});
export const oauthStartReply = z.object({ authorizeUrl: z.string() });

// Google adds parameters of its own (scope, authuser, prompt, iss ...): they are allowed and ignored.
export const oauthCallbackQuery = z.object({
  state: z.string().min(1, 'Required').max(512),
  code: z.string().min(1).max(2048).optional(),
  error: z.string().max(200).optional(),
});

export const connectionIdParams = z.object({ connectionId: z.string().min(1).max(64) });
export const connectionCalendarParams = z.object({ connectionId: z.string().min(1).max(64), calendarId: googleCalendarId });
export const liveEventsQuery = rangeQuery(MAX_COMPANY_RANGE_DAYS);

export const remoteCalendar = z.object({
  id: z.string(),
  summary: z.string(),
  accessRole: z.string(),
  timeZone: z.string(),
  primary: z.boolean().optional(),
  companyId: z.string().optional().meta({ description: 'The company this calendar is enabled for, if any' }),
});
export const remoteCalendarList = z.object({ items: z.array(remoteCalendar) });

export const connectionReply = z.object({
  id: z.string(),
  email: z.string(),
  status: z.enum(['active', 'needs_reconsent']),
  statusReason: z.string().optional(),
  scopes: z.array(z.string()),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export const connectionList = z.object({ items: z.array(connectionReply) });
export const oauthCallbackReply = z.object({
  connectionId: z.string(),
  email: z.string(),
  status: z.enum(['active', 'needs_reconsent']),
  calendars: z.array(remoteCalendar),
});
export const liveEventList = z.object({ items: z.array(syncedOccurrence), nextCursor: z.string().optional(), truncated: z.boolean().optional() });
