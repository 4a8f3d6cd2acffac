// The public side of a booking link: the bookable slots in a range, and booking one of them.
import { newId } from '../kernel/ids';
import { InvalidInput, RuleViolation, type ErrorCode } from '../domain/errors';
import type { Interval } from '../domain/interval';
import { paginate } from '../domain/pagination';
import { checkAnswers } from '../domain/booking-questions';
import { countByDate, fullDates, localDateOf, localDaysAround } from '../domain/daily-limit';
import { bookableSlots, bookingHorizon, busyWindow, candidateStarts, type HeldSlot } from '../domain/slots';
import { isoInZone } from '../kernel/time-zone';
import type { User } from '../users/user';
import { bookingCells, holderOfBooking, holderOfGroupSlot, toBookingReply, type Booking } from './booking';
import { createdMail, queueMail } from './booking-mail';
import { DailyLimitReached, IdempotencyKeyReused, IdempotencyKeyTaken, SlotTaken } from './errors';
import { countsDays, slotRulesOf, zoneOf, type EventType } from './event-type';
import { requireEventTypeBySlug, requireHost } from './event-type-use-cases';
import type { DayClaim, IdempotencyRecord, SchedulingDeps } from './ports';
import type { CreateBookingInput, SlotsInput } from './schemas';
import {
  hashCancelToken,
  hashIdempotencyKey,
  newCancelToken,
  requestFingerprint,
  sealWithIdempotencyKey,
  unsealWithIdempotencyKey,
} from './secrets';
import { MINUTE_MS, DAY_SECONDS } from '../kernel/time-units';

const IDEMPOTENCY_TTL_SECONDS = DAY_SECONDS;
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

export type OfferedSlot = Interval & { seatsLeft: number };

/**
 * The slots of an event type starting in the range, exactly as a booking checks them: candidates minus
 * the host's meetings and synced busy time, other bookings' lock spans (which include their buffers), past
 * and too-soon starts and those past the rolling window, days that reached the daily limit, and for group
 * slots the seats already taken.
 */
export async function offeredSlots(deps: SchedulingDeps, eventType: EventType, host: HostView, range: Interval, movingBookingId?: string): Promise<OfferedSlot[]> {
  return (await offer(deps, eventType, host, range, movingBookingId)).slots;
}

/** What the slot rules need of the host: its id, zone and working hours (the defaults of an event type without availability). */
type HostView = Pick<User, 'id' | 'timeZone' | 'workingHours'>;

/** The host as the rules of an event type with its own availability see it: nothing that needs the host read. */
function hostViewOf(eventType: EventType): HostView | undefined {
  const { availability } = eventType;
  return availability ? { id: eventType.hostId, timeZone: availability.timeZone, workingHours: availability.weekly } : undefined;
}

type Offer = {
  slots: OfferedSlot[];
  full: Set<string>;
  /** Bookings of the event type per local date the range touches (when it counts days): a day counter's start. */
  dayCounts: Map<string, number>;
};

async function offer(deps: SchedulingDeps, eventType: EventType, host: HostView, range: Interval, movingBookingId?: string): Promise<Offer> {
  const rules = slotRulesOf(eventType, host);
  const window = busyWindow(rules, range);
  const isGroup = eventType.kind === 'group';
  const zone = zoneOf(eventType, host);
  // The daily limit counts every booking of the local days the range touches: the host's index read over those whole days.
  const days = countsDays(eventType) ? localDaysAround(range, zone) : undefined;
  const bookingRange = days ? { start: Math.min(window.start, days.start), end: Math.max(window.end, days.end) } : window;
  const [meetings, external, listed, seatsTaken] = await Promise.all([
    deps.hostBusy(host.id, window),
    deps.externalBusy(host.id, window),
    deps.bookings.listForHost(host.id, bookingRange),
    isGroup ? deps.bookings.seatsTaken(eventType.id, range) : Promise.resolve(new Map<number, number>()),
  ]);
  // A booking being moved blocks neither its new time nor its day's limit: it leaves its old place in the same transaction.
  const bookings = listed.filter((booking) => booking.bookingId !== movingBookingId);
  const busy = [...meetings, ...external];
  const held: HeldSlot[] = [];
  for (const booking of bookings) {
    // The seats of one group slot share its lock: they block every other start, not their own.
    if (isGroup && booking.holder === holderOfGroupSlot(eventType.id, booking.start)) held.push({ start: booking.start, span: booking.lockSpan });
    else busy.push(booking.lockSpan);
  }
  const dayStarts = days
    ? bookings.filter((booking) => booking.eventTypeId === eventType.id && booking.start >= days.start && booking.start < days.end).map((booking) => booking.start)
    : [];
  const full = eventType.dailyLimit !== undefined ? fullDates(dayStarts, zone, eventType.dailyLimit) : new Set<string>();
  const slots = bookableSlots({ rules, range, now: deps.clock.now().getTime(), busy, held })
    .filter((slot) => !full.size || !full.has(localDateOf(slot.start, zone)))
    .map((slot) => ({ ...slot, seatsLeft: eventType.seats - (seatsTaken.get(slot.start) ?? 0) }))
    .filter((slot) => slot.seatsLeft > 0);
  return { slots, full, dayCounts: countByDate(dayStarts, zone) };
}

export async function listSlots(deps: SchedulingDeps, slug: string, query: SlotsInput) {
  const eventType = await requireEventTypeBySlug(deps, slug);
  const host = await requireHost(deps, eventType);
  const zone = query.timeZone ?? zoneOf(eventType, host);
  const slots = await offeredSlots(deps, eventType, host, { start: Date.parse(query.from), end: Date.parse(query.to) });
  const page = paginate(slots, (slot) => [slot.start], query.limit, query.cursor);
  return {
    items: page.items.map((slot) => ({ start: isoInZone(slot.start, zone), end: isoInZone(slot.end, zone), seatsLeft: slot.seatsLeft })),
    ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
  };
}

function startProblem(code: Extract<ErrorCode, 'slot_in_past' | 'inside_minimum_notice' | 'outside_booking_window' | 'not_a_slot'>, message: string): RuleViolation {
  return new RuleViolation(code, message, [{ field: 'start', message }]);
}

/**
 * Refuses a start the slot list would not offer now, saying why: past, too soon, too far ahead, not on the grid, its day
 * full, or taken. `movingBookingId`: the booking a reschedule moves, whose own time and day do not count against it.
 * Gives back the day's claim on its counter when the event type counts days (the transaction's guarantee of the limit).
 */
export async function requireOfferedStart(deps: SchedulingDeps, eventType: EventType, host: HostView, start: number, movingBookingId?: string): Promise<DayClaim | undefined> {
  const now = deps.clock.now().getTime();
  if (start < now) throw startProblem('slot_in_past', 'This time has passed');
  if (start < now + eventType.minNoticeMinutes * MINUTE_MS) {
    throw startProblem('inside_minimum_notice', `Bookings need ${eventType.minNoticeMinutes} minutes of notice`);
  }
  const rules = slotRulesOf(eventType, host);
  const horizon = bookingHorizon(rules, now);
  if (horizon !== undefined && start >= horizon) {
    throw startProblem('outside_booking_window', `Bookings open at most ${eventType.availability?.rollingDays} days ahead`);
  }
  const range = { start, end: start + 1 };
  if (!candidateStarts(rules, range).includes(start)) {
    throw startProblem('not_a_slot', 'This event type offers no slot starting at this time');
  }
  const { slots, full, dayCounts } = await offer(deps, eventType, host, range, movingBookingId);
  const date = localDateOf(start, zoneOf(eventType, host));
  if (!slots.length) {
    if (full.has(date)) throw new DailyLimitReached(eventType.dailyLimit!);
    throw new SlotTaken();
  }
  if (!countsDays(eventType)) return undefined;
  return { date, seed: dayCounts.get(date) ?? 0, ...(eventType.dailyLimit !== undefined ? { limit: eventType.dailyLimit } : {}) };
}

/** The guest's answers checked against the event type's questions (400 naming `answers.<id>`), as the booking keeps them. */
function requireAnswers(eventType: EventType, answers: CreateBookingInput['answers']) {
  const checked = checkAnswers(eventType.questions ?? [], answers ?? {});
  if (checked.problems.length) throw new InvalidInput(`Invalid answers: ${checked.problems.map((p) => p.field).join(', ')}`, checked.problems);
  return checked.answers;
}

function parseIdempotencyKey(key: string | undefined): string | undefined {
  if (key === undefined) return undefined;
  if (!IDEMPOTENCY_KEY.test(key)) {
    throw new InvalidInput('Invalid Idempotency-Key header', [{ field: 'Idempotency-Key', message: '1 to 255 visible ASCII characters' }]);
  }
  return key;
}

type Idempotency = { key: string; keyHash: string; fingerprint: string };

/**
 * The whole request body (every field, so a field added later is covered too), written one way: the start as
 * an instant, the email in lower case, as the booking stores them, and the answers by question id. A key sent again with any other body is refused.
 */
function bookingFingerprint(input: CreateBookingInput): string {
  const normalized: Record<string, unknown> = {
    ...input,
    start: Date.parse(input.start),
    email: input.email.toLowerCase(),
    // The same answers sent in another key order are the same request.
    ...(input.answers ? { answers: Object.entries(input.answers).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)) } : {}),
  };
  const present = Object.keys(normalized).filter((name) => normalized[name] !== undefined);
  return requestFingerprint(present.sort().map((name) => [name, normalized[name]]));
}

async function replay(deps: SchedulingDeps, record: IdempotencyRecord, idempotency: Idempotency) {
  if (record.fingerprint !== idempotency.fingerprint) throw new IdempotencyKeyReused();
  const booking = await deps.bookings.get(record.bookingId);
  if (!booking) throw new Error(`Idempotency record points at missing booking ${record.bookingId}`);
  return { reply: toBookingReply(booking, unsealWithIdempotencyKey(idempotency.key, record.sealedToken), deps.publicBaseUrl()), replayed: true };
}

/**
 * Books a slot for a guest. The checks here give clear answers; the guarantee is the store's single
 * transaction (lock cells or the seat counter), which a concurrent booking cannot pass as well.
 * With an Idempotency-Key, a repeated request gets the first booking back (`replayed`).
 */
export async function bookSlot(deps: SchedulingDeps, slug: string, input: CreateBookingInput, idempotencyKeyHeader?: string) {
  const key = parseIdempotencyKey(idempotencyKeyHeader);
  const nowMs = deps.clock.now().getTime();
  const idempotency = key
    ? { key, keyHash: hashIdempotencyKey(key), fingerprint: bookingFingerprint(input) }
    : undefined;
  const earlierBooking = () => deps.bookings.findIdempotency(slug, idempotency!.keyHash, Math.floor(nowMs / 1000));
  // Both keyed by the slug: the event type and an earlier booking with this key are read at once.
  const [eventType, previous] = await Promise.all([requireEventTypeBySlug(deps, slug), idempotency ? earlierBooking() : undefined]);
  if (idempotency && previous) return replay(deps, previous, idempotency);
  try {
    return await bookOfferedSlot(deps, eventType, input, nowMs, idempotency);
  } catch (error) {
    // The same request, sent twice at once: the other copy won (its booking may be what took the slot or the day's last place); answer with it.
    if (idempotency && (error instanceof IdempotencyKeyTaken || error instanceof SlotTaken || error instanceof DailyLimitReached)) {
      const winner = await earlierBooking();
      if (winner) return replay(deps, winner, idempotency);
    }
    throw error;
  }
}

async function bookOfferedSlot(
  deps: SchedulingDeps,
  eventType: EventType,
  input: CreateBookingInput,
  nowMs: number,
  idempotency?: Idempotency,
) {
  const start = Date.parse(input.start);
  const answers = requireAnswers(eventType, input.answers);
  const hostRead = requireHost(deps, eventType);
  // An event type with its own availability needs nothing of the host for its rules: the host is read meanwhile.
  const [day, host] = await Promise.all([requireOfferedStart(deps, eventType, hostViewOf(eventType) ?? (await hostRead), start), hostRead]);

  const zone = zoneOf(eventType, host);
  const slot = { start, end: start + eventType.durationMinutes * MINUTE_MS };
  const id = newId();
  const cancelToken = newCancelToken();
  const holder = eventType.kind === 'group' ? holderOfGroupSlot(eventType.id, start) : holderOfBooking(id);
  const booking: Booking = {
    id,
    hostId: host.id,
    eventTypeId: eventType.id,
    slug: eventType.slug,
    eventTypeName: eventType.name,
    kind: eventType.kind,
    start: isoInZone(slot.start, zone),
    end: isoInZone(slot.end, zone),
    timeZone: zone,
    guest: { name: input.name, email: input.email, ...(input.timeZone ? { timeZone: input.timeZone } : {}) },
    ...(input.notes !== undefined ? { notes: input.notes } : {}),
    ...(answers.length ? { answers } : {}),
    bufferBeforeMinutes: eventType.bufferBeforeMinutes,
    bufferAfterMinutes: eventType.bufferAfterMinutes,
    holder,
    cells: bookingCells(slot, eventType.bufferBeforeMinutes, eventType.bufferAfterMinutes),
    status: 'confirmed',
    cancelTokenHash: hashCancelToken(cancelToken),
    ...(day ? { countedDay: day.date } : {}),
    createdAt: new Date(nowMs).toISOString(),
    version: 1,
  };
  await deps.bookings.create(booking, {
    ...(eventType.kind === 'group' ? { seat: { eventTypeId: eventType.id, start, seats: eventType.seats } } : {}),
    ...(day ? { day } : {}),
    ...(idempotency
      ? {
          idempotency: {
            slug: eventType.slug,
            keyHash: idempotency.keyHash,
            fingerprint: idempotency.fingerprint,
            sealedToken: sealWithIdempotencyKey(idempotency.key, cancelToken),
            expiresAt: Math.floor(nowMs / 1000) + IDEMPOTENCY_TTL_SECONDS,
          },
        }
      : {}),
    mail: queueMail(new Date(nowMs), createdMail(booking, host, cancelToken)),
  });
  // Only a host with a destination calendar gets a copy (the request would read the host again to find that out).
  if (host.destinationCalendar) await deps.writeBack?.request('booking', booking.id, booking.hostId);
  return { reply: toBookingReply(booking, cancelToken, deps.publicBaseUrl()), replayed: false };
}
