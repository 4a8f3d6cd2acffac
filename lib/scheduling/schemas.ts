// Request and reply shapes of the scheduling routes (zod): event types, the public booking page, bookings.
import { DateTime } from 'luxon';
import * as z from 'zod';
import { cursorQuery, isoDateTime, limitQuery, timeZoneSchema } from '../kernel/input-shapes';
import { workingHoursSchema } from '../users/schemas';
import { DAY_MS } from '../kernel/time-units';

export const MAX_DURATION_MINUTES = 360;
export const MAX_BUFFER_MINUTES = 120;
/**
 * Duration plus both buffers: a booking is one transaction of at most 100 items (booking, index, seat
 * counter, idempotency claim and one item per 5-minute cell), so its buffered span may touch at most 95 cells.
 */
export const MAX_LOCK_MINUTES = 470;
export const MAX_SLOT_RANGE_DAYS = 62;
export const MAX_FIXED_SLOTS = 100;
export const MAX_SEATS = 1000;

const localDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'Use a date YYYY-MM-DD')
  .refine((text) => DateTime.fromISO(text, { zone: 'utc' }).isValid, 'Not a calendar date')
  .meta({ format: 'date', example: '2031-03-03' });

const name = z.string().trim().min(1, 'Required').max(100);
const minutes = (min: number, max: number) => z.number().int().min(min).max(max);

export const availabilitySchema = z
  .strictObject({
    timeZone: timeZoneSchema,
    weekly: workingHoursSchema,
    dateFrom: localDate.optional(),
    dateTo: localDate.optional(),
    dates: z.array(localDate).min(1).max(366).optional(),
  })
  .meta({ description: 'Weekly hours (shaped like workingHours) in timeZone, optionally only between dateFrom and dateTo or on the listed dates' });

const fixedSlots = z.array(z.strictObject({ start: isoDateTime })).min(1).max(MAX_FIXED_SLOTS);

export const createEventTypeBody = z.strictObject({
  name,
  kind: z.enum(['one_on_one', 'group', 'one_off']),
  durationMinutes: minutes(5, MAX_DURATION_MINUTES),
  seats: minutes(1, MAX_SEATS).optional().meta({ description: 'Group event types only: guests per slot' }),
  availability: availabilitySchema.optional().meta({ description: "Default: the host's working hours in the host's time zone" }),
  slots: fixedSlots.optional().meta({ description: 'One-off event types only: the fixed starts on offer' }),
  bufferBeforeMinutes: minutes(0, MAX_BUFFER_MINUTES).default(0),
  bufferAfterMinutes: minutes(0, MAX_BUFFER_MINUTES).default(0),
  minNoticeMinutes: minutes(0, 366 * 24 * 60).default(0),
  slotStepMinutes: minutes(5, 24 * 60).optional().meta({ description: 'Default: the duration' }),
});

export const updateEventTypeBody = z
  .strictObject({
    name: name.optional(),
    durationMinutes: minutes(5, MAX_DURATION_MINUTES).optional(),
    seats: minutes(1, MAX_SEATS).optional(),
    availability: availabilitySchema.nullable().optional().meta({ description: "null: back to the host's working hours" }),
    slots: fixedSlots.optional(),
    bufferBeforeMinutes: minutes(0, MAX_BUFFER_MINUTES).optional(),
    bufferAfterMinutes: minutes(0, MAX_BUFFER_MINUTES).optional(),
    minNoticeMinutes: minutes(0, 366 * 24 * 60).optional(),
    slotStepMinutes: minutes(5, 24 * 60).nullable().optional(),
  })
  .refine((body) => Object.keys(body).length > 0, 'Send at least one field to change');

export const eventTypeIdParams = z.object({ eventTypeId: z.string().min(1).max(64) });
export const slugParams = z.object({ slug: z.string().min(1).max(100) });
export const bookingIdParams = z.object({ bookingId: z.string().min(1).max(64) });
export const pageQuery = z.object({ limit: limitQuery, cursor: cursorQuery });

export const slotsQuery = z
  .object({
    from: isoDateTime,
    to: isoDateTime,
    timeZone: timeZoneSchema.optional().meta({ description: "Zone the slots are shown in; default the event type's" }),
    limit: z.coerce.number().int().min(1).max(5000).default(1000),
    cursor: cursorQuery,
  })
  .superRefine((value, ctx) => {
    const from = Date.parse(value.from);
    const to = Date.parse(value.to);
    if (to <= from) ctx.addIssue({ code: 'custom', path: ['to'], message: 'Must be after from' });
    else if (to - from > MAX_SLOT_RANGE_DAYS * DAY_MS) ctx.addIssue({ code: 'custom', path: ['to'], message: `The range may span at most ${MAX_SLOT_RANGE_DAYS} days` });
  });

const email = z.string().trim().max(254).pipe(z.email('Not a valid email address'));

export const createBookingBody = z.strictObject({
  start: isoDateTime,
  name,
  email,
  timeZone: timeZoneSchema.optional().meta({ description: "The guest's zone: times in the reply and the invitation use it" }),
  notes: z.string().max(2000).optional(),
});

export const rescheduleBookingBody = z.strictObject({
  start: isoDateTime.meta({ description: "The new start: one of the event type's slots, as GET /book/{slug}/slots lists them" }),
});

export const bookingAccessQuery = z.object({
  token: z.string().min(1).max(200).optional().meta({ description: 'The cancel token from the booking reply; or send the host bearer token instead' }),
});

export const bookingsQuery = z
  .object({ from: isoDateTime.optional(), to: isoDateTime.optional(), limit: limitQuery, cursor: cursorQuery })
  .superRefine((value, ctx) => {
    if (value.from && value.to && Date.parse(value.to) <= Date.parse(value.from)) ctx.addIssue({ code: 'custom', path: ['to'], message: 'Must be after from' });
  });

const dayRange = z.object({ start: z.string(), end: z.string() });

export const eventTypeReply = z.object({
  id: z.string(),
  slug: z.string(),
  bookingUrl: z.string(),
  name: z.string(),
  kind: z.enum(['one_on_one', 'group', 'one_off']),
  durationMinutes: z.number(),
  seats: z.number().optional(),
  availability: z
    .object({ timeZone: z.string(), weekly: z.record(z.string(), z.array(dayRange)), dateFrom: z.string().optional(), dateTo: z.string().optional(), dates: z.array(z.string()).optional() })
    .optional(),
  slots: z.array(z.object({ start: z.string() })).optional(),
  bufferBeforeMinutes: z.number(),
  bufferAfterMinutes: z.number(),
  minNoticeMinutes: z.number(),
  slotStepMinutes: z.number().optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export const eventTypeList = z.object({ items: z.array(eventTypeReply), nextCursor: z.string().optional() });

export const bookingPageReply = z.object({
  slug: z.string(),
  hostName: z.string(),
  name: z.string(),
  kind: z.enum(['one_on_one', 'group', 'one_off']),
  durationMinutes: z.number(),
  timeZone: z.string(),
  seats: z.number().optional(),
});

export const slotList = z.object({
  items: z.array(z.object({ start: z.string(), end: z.string(), seatsLeft: z.number() })),
  nextCursor: z.string().optional(),
});

export const bookingReply = z.object({ id: z.string(), start: z.string(), end: z.string(), timeZone: z.string(), cancelToken: z.string(), icsUrl: z.string() });

export const rescheduleReply = z.object({
  id: z.string(),
  status: z.literal('confirmed'),
  start: z.string(),
  end: z.string(),
  timeZone: z.string(),
  rescheduledAt: z.string().optional(),
});

export const cancelReply = z.object({ id: z.string(), status: z.literal('cancelled'), start: z.string(), end: z.string(), cancelledAt: z.string() });

export const hostBookingReply = z.object({
  id: z.string(),
  eventTypeId: z.string(),
  eventTypeName: z.string(),
  kind: z.enum(['one_on_one', 'group', 'one_off']),
  start: z.string(),
  end: z.string(),
  guest: z.object({ name: z.string(), email: z.string(), timeZone: z.string().optional() }),
  notes: z.string().optional(),
  status: z.literal('confirmed'),
  /** Present while the host's Google copy sits at another time that the booking could not take. */
  googleConflict: z.object({ start: z.string(), end: z.string(), reason: z.string() }).optional(),
  createdAt: z.string(),
});
export const hostBookingList = z.object({ items: z.array(hostBookingReply), nextCursor: z.string().optional() });

export type CreateEventTypeInput = z.infer<typeof createEventTypeBody>;
export type UpdateEventTypeInput = z.infer<typeof updateEventTypeBody>;
export type SlotsInput = z.infer<typeof slotsQuery>;
export type CreateBookingInput = z.infer<typeof createBookingBody>;
export type RescheduleBookingInput = z.infer<typeof rescheduleBookingBody>;
export type BookingsInput = z.infer<typeof bookingsQuery>;
