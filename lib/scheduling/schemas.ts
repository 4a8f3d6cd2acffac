// Request and reply shapes of the scheduling routes (zod): event types, the public booking page, bookings.
import { DateTime } from 'luxon';
import * as z from 'zod';
import { cursorQuery, isoDateTime, limitQuery, timeZoneSchema } from '../kernel/input-shapes';
import { workingHoursSchema } from '../users/schemas';
import { DAY_MS } from '../kernel/time-units';
import { MAX_TEXTAREA_ANSWER, QUESTION_TYPES } from '../domain/booking-questions';

export const MAX_DURATION_MINUTES = 360;
export const MAX_BUFFER_MINUTES = 120;
/** A DynamoDB transaction holds at most 100 items; a booking is one transaction. */
export const MAX_TRANSACTION_ITEMS = 100;
/**
 * Duration plus both buffers: a booking is one transaction of at most 100 items (booking, index, idempotency
 * claim, two mails and one item per 5-minute cell), so its buffered span may touch at most 95 cells. A group seat
 * (seat counter) and a counted day (daily limit) take one item each from the cells: see maxLockMinutesOf.
 */
export const MAX_LOCK_MINUTES = 470;
export const MAX_SLOT_RANGE_DAYS = 62;
export const MAX_FIXED_SLOTS = 100;
export const MAX_SEATS = 1000;
export const MAX_ROLLING_DAYS = 730;
export const MAX_DAILY_LIMIT = 1000;
export const MAX_QUESTIONS = 20;

const localDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'Use a date YYYY-MM-DD')
  .refine((text) => DateTime.fromISO(text, { zone: 'utc' }).isValid, 'Not a calendar date')
  .meta({ format: 'date', example: '2031-03-03' });

const name = z.string().trim().min(1, 'Required').max(100);
const minutes = (min: number, max: number) => z.number().int().min(min).max(max);

const clockTime = z.string().regex(/^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'Use HH:MM (24-hour)');
// Dates unique and intervals ordered and apart: checked with the other cross-field rules (eventTypeProblems).
const dateOverride = z.strictObject({
  date: localDate,
  intervals: z.array(z.strictObject({ start: clockTime, end: clockTime })).max(12).meta({ description: 'The hours of that date, in order; [] = unavailable that day' }),
});

export const availabilitySchema = z
  .strictObject({
    timeZone: timeZoneSchema,
    weekly: workingHoursSchema,
    dateFrom: localDate.optional(),
    dateTo: localDate.optional(),
    dates: z.array(localDate).min(1).max(366).optional(),
    rollingDays: z.number().int().min(0).max(MAX_ROLLING_DAYS).optional().meta({ description: 'Bookable up to this many days after today (in timeZone); 0 = today only' }),
    overrides: z.array(dateOverride).max(366).optional().meta({ description: 'Other hours on single dates (in timeZone), instead of their weekday\'s' }),
  })
  .meta({ description: 'Weekly hours (shaped like workingHours) in timeZone, optionally only between dateFrom and dateTo or on the listed dates' });

const question = z.strictObject({
  id: z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, 'Letters, digits, _ and -, at most 40'),
  label: z.string().trim().min(1, 'Required').max(200),
  type: z.enum(QUESTION_TYPES),
  required: z.boolean().optional(),
  options: z.array(z.string().trim().min(1).max(100)).max(50).optional().meta({ description: 'Select questions only: the choices' }),
});
const questions = z.array(question).max(MAX_QUESTIONS).meta({ description: 'Asked on the booking page; answers come with the booking' });
const dailyLimit = z.number().int().min(1).max(MAX_DAILY_LIMIT).meta({ description: "At most this many bookings of this event type per day, in the event type's zone" });

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
  dailyLimit: dailyLimit.optional(),
  questions: questions.optional(),
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
    dailyLimit: dailyLimit.nullable().optional().meta({ description: 'null: no daily limit' }),
    questions: questions.optional().meta({ description: '[]: ask nothing' }),
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
  answers: z
    .record(z.string().min(1).max(40), z.union([z.string().max(MAX_TEXTAREA_ANSWER), z.boolean()]))
    .optional()
    .meta({ description: "Answers to the event type's questions by question id: text, or true/false for a checkbox" }),
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
    .object({
      timeZone: z.string(),
      weekly: z.record(z.string(), z.array(dayRange)),
      dateFrom: z.string().optional(),
      dateTo: z.string().optional(),
      dates: z.array(z.string()).optional(),
      rollingDays: z.number().optional(),
      overrides: z.array(z.object({ date: z.string(), intervals: z.array(dayRange) })).optional(),
    })
    .optional(),
  slots: z.array(z.object({ start: z.string() })).optional(),
  bufferBeforeMinutes: z.number(),
  bufferAfterMinutes: z.number(),
  minNoticeMinutes: z.number(),
  slotStepMinutes: z.number().optional(),
  dailyLimit: z.number().optional(),
  questions: z.array(question).optional(),
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
  questions: z.array(question).optional(),
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
  answers: z.array(z.object({ questionId: z.string(), label: z.string(), value: z.union([z.string(), z.boolean()]) })).optional(),
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
