// Request and reply shapes of the company routes (zod): validation and /openapi.json.
import * as z from 'zod';
import { cursorQuery, limitQuery, rangeQuery } from '../kernel/input-shapes';

export const MAX_COMPANY_RANGE_DAYS = 366;

const id = z.string().min(1).max(64);
/** Google calendar ids are emails or long group ids (`...@group.calendar.google.com`); URL-encode them in paths. */
export const googleCalendarId = z
  .string()
  .min(1)
  .max(1024)
  // API Gateway hands path parameters over still percent-encoded in some set-ups; decoding twice is harmless for these ids.
  // Broken escapes are bad input, not a crash (decodeURIComponent throws on them).
  .transform((value, ctx) => {
    if (!/%[0-9A-Fa-f]{2}/.test(value)) return value;
    try {
      return decodeURIComponent(value);
    } catch {
      ctx.addIssue({ code: 'custom', message: 'Not a valid percent-encoded calendar id' });
      return z.NEVER;
    }
  })
  // Google's ids are visible ASCII (emails, `...#holiday@group.v.calendar.google.com`); this also keeps the
  // keys built from them (`CAL#<id>`) within DynamoDB's 1024-byte sort key.
  .pipe(z.string().regex(/^[\x21-\x7e]{1,254}$/, 'A Google calendar id: at most 254 visible ASCII characters'))
  .meta({ example: 'demo-studio@group.calendar.google.com' });

export const createCompanyBody = z.strictObject({ name: z.string().trim().min(1, 'Required').max(200) });
export const companyIdParams = z.object({ companyId: id });
export const memberParams = z.object({ companyId: id, userId: id });
/** Optional: no body (or no role) adds a member; ownership is never given this way. */
export const memberBody = z.strictObject({ role: z.enum(['admin', 'member']).default('member') }).optional();
export const companyCalendarParams = z.object({ companyId: id, calendarId: googleCalendarId });
export const enableCalendarBody = z.strictObject({ connectionId: id });
export const listQuery = z.object({ limit: limitQuery, cursor: cursorQuery });
export const companyRangeQuery = rangeQuery(MAX_COMPANY_RANGE_DAYS);
export const syncLogQuery = z.object({ limit: z.coerce.number().int().min(1).max(100).default(20), cursor: cursorQuery });

const role = z.enum(['owner', 'admin', 'member']);

export const companyCreatedReply = z.object({ id: z.string(), name: z.string(), ownerId: z.string(), role, createdAt: z.string() });
export const companyList = z.object({ items: z.array(z.object({ id: z.string(), name: z.string(), role })), nextCursor: z.string().optional() });
export const memberReply = z.object({ userId: z.string(), role, addedAt: z.string() });
export const companyReply = z.object({
  id: z.string(),
  name: z.string(),
  ownerId: z.string(),
  role,
  createdAt: z.string(),
  members: z.array(memberReply),
});

const syncStatus = z.enum(['never_synced', 'syncing', 'ok', 'error', 'needs_reconsent']);
const syncView = z.object({
  status: syncStatus,
  lastSyncAt: z.string().optional(),
  lastMode: z.enum(['full', 'incremental']).optional(),
  lastError: z.string().optional(),
  resumable: z.boolean().optional(),
});

export const companyCalendarReply = z.object({
  companyId: z.string(),
  calendarId: z.string(),
  connectionId: z.string(),
  summary: z.string(),
  timeZone: z.string(),
  accessRole: z.string(),
  enabledAt: z.string(),
  enabledBy: z.string(),
  sync: syncView,
});
export const companyCalendarList = z.object({ items: z.array(companyCalendarReply) });

export const syncLogEntry = z.object({
  companyId: z.string(),
  calendarId: z.string(),
  runId: z.string(),
  trigger: z.enum(['schedule', 'manual', 'enabled', 'push']),
  mode: z.enum(['full', 'incremental']),
  outcome: z.enum(['complete', 'partial', 'failed', 'skipped']),
  inserted: z.number(),
  updated: z.number(),
  deleted: z.number(),
  pages: z.number(),
  durationMs: z.number(),
  startedAt: z.string(),
  finishedAt: z.string(),
  error: z.string().optional(),
  notes: z.array(z.string()).optional(),
});
export const syncStatusReply = z.object({
  calendars: z.array(
    syncView.extend({
      calendarId: z.string(),
      summary: z.string(),
      /** Open push channels (two while one is being renewed). */
      channels: z.array(z.object({ channelId: z.string(), expiration: z.string(), lastNotificationAt: z.string().optional(), lastMessageNumber: z.number().optional() })),
    }),
  ),
  items: z.array(syncLogEntry),
  nextCursor: z.string().optional(),
});
export const syncQueuedReply = z.object({ companyId: z.string(), queued: z.literal(true) });

export const syncedOccurrence = z.object({
  eventId: z.string(),
  start: z.string(),
  end: z.string(),
  title: z.string().optional().meta({ description: 'Left out where the viewer may not see it (a copy of a private meeting)' }),
  busy: z.literal(true).optional(),
  source: z.literal('google'),
  calendarId: z.string(),
  allDay: z.boolean().optional(),
  transparent: z.boolean().optional().meta({ description: 'Free time in Google: never busy, never an overlap' }),
  originalStart: z.string().optional(),
});
export const syncedOccurrenceList = z.object({ items: z.array(syncedOccurrence), nextCursor: z.string().optional() });
export const overlapList = z.object({
  items: z.array(z.object({ first: syncedOccurrence, second: syncedOccurrence, overlapStart: z.string(), overlapEnd: z.string() })),
  nextCursor: z.string().optional(),
});
