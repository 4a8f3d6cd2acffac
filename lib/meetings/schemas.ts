// Request and reply shapes of the meeting routes (zod): validation and /openapi.json.
import * as z from 'zod';
import { WEEKDAY_CODES } from '../domain/recurrence';
import { durationQuery, isoDateTime, rangeQuery, timeZoneSchema } from '../kernel/input-shapes';

export const MAX_ATTENDEES = 40;
export const MAX_EVENT_MINUTES = 14 * 24 * 60;
export const MAX_LIST_DAYS = 366;

const presetSchema = z.strictObject({
  frequency: z.enum(['daily', 'weekly', 'monthly', 'yearly', 'weekdays']),
  interval: z.number().int().min(1).max(999).optional(),
  byWeekday: z.array(z.enum(WEEKDAY_CODES)).min(1).max(7).optional(),
  monthlyBy: z.enum(['dayOfMonth', 'nthWeekday']).optional(),
  count: z.number().int().min(1).max(5000).optional(),
  until: z.string().max(40).optional(),
});

export const recurrenceSchema = z
  .union([z.strictObject({ rrule: z.string().min(1).max(4000) }), presetSchema])
  .meta({ description: 'A custom RFC 5545 rule (RRULE plus optional EXDATE lines) or a preset' });

const reminders = z.array(z.number().int().min(0).max(40320)).max(5);
const title = z.string().trim().min(1, 'Required').max(300);
const description = z.string().max(8000);
const attendeeIds = z
  .array(z.string().min(1).max(64))
  .max(MAX_ATTENDEES)
  .superRefine((ids, ctx) => {
    ids.forEach((id, index) => {
      if (ids.indexOf(id) !== index) ctx.addIssue({ code: 'custom', path: [index], message: `${id} is listed twice` });
    });
  });

export const createEventBody = z
  .strictObject({
    title,
    description: description.optional(),
    start: isoDateTime,
    end: isoDateTime.optional(),
    durationMinutes: z.number().int().min(1).max(MAX_EVENT_MINUTES).optional(),
    timeZone: timeZoneSchema.optional(),
    attendeeIds: attendeeIds.optional(),
    visibility: z.enum(['public', 'private']).default('public'),
    recurrence: recurrenceSchema.optional(),
    reminders: reminders.optional(),
  })
  .superRefine((body, ctx) => {
    if (body.end === undefined && body.durationMinutes === undefined) {
      ctx.addIssue({ code: 'custom', path: ['end'], message: 'Send end or durationMinutes' });
    } else if (body.end !== undefined && body.durationMinutes !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['durationMinutes'], message: 'Send end or durationMinutes, not both' });
    }
  });

export const updateEventBody = z
  .strictObject({
    title: title.optional(),
    description: description.optional(),
    start: isoDateTime.optional(),
    end: isoDateTime.optional(),
    durationMinutes: z.number().int().min(1).max(MAX_EVENT_MINUTES).optional(),
    timeZone: timeZoneSchema.optional(),
    attendeeIds: attendeeIds.optional(),
    visibility: z.enum(['public', 'private']).optional(),
    recurrence: recurrenceSchema.nullable().optional(),
    reminders: reminders.nullable().optional(),
  })
  .refine((body) => Object.keys(body).length > 0, 'Send at least one field to change');

export const eventIdParams = z.object({ eventId: z.string().min(1).max(64) });
export const occurrenceQuery = z.object({ occurrence: isoDateTime.optional() });
export const userEventsParams = z.object({ userId: z.string().min(1).max(64) });
export const listEventsQuery = rangeQuery(MAX_LIST_DAYS);

export const freeTimeQuery = z
  .object({
    userIds: z
      .string()
      .transform((text) => [...new Set(text.split(',').map((id) => id.trim()).filter(Boolean))])
      .pipe(z.array(z.string().max(64)).min(1, 'Name at least one user').max(20)),
    duration: durationQuery,
    after: isoDateTime.optional(),
    before: isoDateTime.optional(),
    workingHoursOnly: z.enum(['true', 'false']).default('false').transform((value) => value === 'true'),
  })
  .superRefine((query, ctx) => {
    if (query.duration > MAX_EVENT_MINUTES) ctx.addIssue({ code: 'custom', path: ['duration'], message: 'At most 14 days' });
    if (query.after && query.before && Date.parse(query.before) <= Date.parse(query.after)) {
      ctx.addIssue({ code: 'custom', path: ['before'], message: 'Must be after after' });
    }
  });

const attendee = z.object({ userId: z.string(), status: z.enum(['organizer', 'pending', 'accepted', 'declined']) });

export const eventReply = z.object({
  id: z.string(),
  title: z.string(),
  description: z.string().optional(),
  start: z.string(),
  end: z.string(),
  timeZone: z.string(),
  organizerId: z.string(),
  attendees: z.array(attendee),
  rrule: z.string().optional(),
  exdates: z.array(z.string()).optional(),
  visibility: z.enum(['public', 'private']),
  reminders: z.array(z.number()).optional(),
  exceptions: z.array(z.object({ originalStart: z.string(), start: z.string().optional(), end: z.string().optional(), cancelled: z.boolean().optional() })).optional(),
});

export const occurrenceReply = z.object({
  eventId: z.string(),
  start: z.string(),
  end: z.string(),
  title: z.string().optional(),
  busy: z.boolean().optional(),
  source: z.enum(['native', 'google', 'booking']),
  status: z.string().optional(),
  originalStart: z.string().optional(),
});

export const occurrenceList = z.object({ items: z.array(occurrenceReply), nextCursor: z.string().optional() });
export const freeTimeReply = z.object({ start: z.string(), end: z.string() });

export type CreateEventInput = z.infer<typeof createEventBody>;
export type UpdateEventInput = z.infer<typeof updateEventBody>;
export type RecurrenceInput = z.infer<typeof recurrenceSchema>;
export type FreeTimeInput = z.infer<typeof freeTimeQuery>;
