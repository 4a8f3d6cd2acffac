// Event type use cases: a host creates, lists, reads, changes and deletes their event types; anyone reads
// the public description behind a booking link.
import { randomBytes } from 'node:crypto';
import { newId } from '../kernel/ids';
import { InvalidInput, NotFound } from '../domain/errors';
import { paginate } from '../domain/pagination';
import { isoInZone } from '../kernel/time-zone';
import type { User } from '../users/user';
import { SlugTaken } from './errors';
import { baseSlug, countsDays, eventTypeProblems, toBookingPage, toEventTypeReply, type EventType } from './event-type';
import type { SchedulingDeps } from './ports';
import type { CreateEventTypeInput, UpdateEventTypeInput } from './schemas';

const SLUG_ATTEMPTS = 6;

type EventTypeDeps = Pick<SchedulingDeps, 'eventTypes' | 'users' | 'clock' | 'publicBaseUrl'>;

async function requireUser(deps: Pick<SchedulingDeps, 'users'>, userId: string): Promise<User> {
  const user = await deps.users.get(userId);
  if (!user) throw new NotFound('User');
  return user;
}

/** Someone else's event type is not found, rather than forbidden: ids of other hosts reveal nothing. */
async function requireOwn(deps: Pick<SchedulingDeps, 'eventTypes'>, hostId: string, eventTypeId: string): Promise<EventType> {
  const eventType = await deps.eventTypes.get(hostId, eventTypeId);
  if (!eventType) throw new NotFound('Event type');
  return eventType;
}

function check(eventType: Parameters<typeof eventTypeProblems>[0]): void {
  const problems = eventTypeProblems(eventType);
  if (problems.length) throw new InvalidInput(`Invalid event type: ${problems.map((p) => p.field).join(', ')}`, problems);
}

/** One-off starts kept in the event type's zone, sorted. */
function normalizeSlots(slots: Array<{ start: string }> | undefined, zone: string): string[] | undefined {
  return slots?.map((slot) => Date.parse(slot.start)).sort((a, b) => a - b).map((start) => isoInZone(start, zone));
}

export async function createEventType(deps: EventTypeDeps, hostId: string, input: CreateEventTypeInput) {
  const host = await requireUser(deps, hostId);
  const zone = input.availability?.timeZone ?? host.timeZone;
  check({ ...input, slots: input.slots?.map((slot) => slot.start) });
  const slots = normalizeSlots(input.slots, zone);
  const now = deps.clock.now().toISOString();
  const draft: Omit<EventType, 'slug'> = {
    id: newId(),
    hostId,
    name: input.name,
    kind: input.kind,
    durationMinutes: input.durationMinutes,
    seats: input.kind === 'group' ? input.seats! : 1,
    ...(input.availability ? { availability: input.availability } : {}),
    ...(slots ? { slots } : {}),
    bufferBeforeMinutes: input.bufferBeforeMinutes,
    bufferAfterMinutes: input.bufferAfterMinutes,
    minNoticeMinutes: input.minNoticeMinutes,
    ...(input.slotStepMinutes !== undefined ? { slotStepMinutes: input.slotStepMinutes } : {}),
    ...(input.dailyLimit !== undefined ? { dailyLimit: input.dailyLimit, dailyCounted: true } : {}),
    ...(input.questions?.length ? { questions: input.questions } : {}),
    createdAt: now,
    updatedAt: now,
    version: 1,
  };
  const base = baseSlug(host.name, input.name);
  for (let attempt = 0; attempt < SLUG_ATTEMPTS; attempt++) {
    // The readable slug first; on a collision the same words with a short random suffix.
    const slug = attempt === 0 ? base : `${base}-${randomBytes(3).toString('hex')}`;
    const eventType: EventType = { ...draft, slug };
    try {
      await deps.eventTypes.create(eventType);
      return toEventTypeReply(eventType, deps.publicBaseUrl());
    } catch (error) {
      if (!(error instanceof SlugTaken)) throw error;
    }
  }
  throw new Error(`No free slug for ${base} after ${SLUG_ATTEMPTS} attempts`);
}

export async function listEventTypes(deps: EventTypeDeps, hostId: string, query: { limit: number; cursor?: string }) {
  const all = (await deps.eventTypes.listForHost(hostId)).sort((a, b) => (a.id < b.id ? -1 : 1));
  const page = paginate(all, (eventType) => [eventType.id], query.limit, query.cursor);
  return { items: page.items.map((eventType) => toEventTypeReply(eventType, deps.publicBaseUrl())), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
}

export async function getEventType(deps: EventTypeDeps, hostId: string, eventTypeId: string) {
  return toEventTypeReply(await requireOwn(deps, hostId, eventTypeId), deps.publicBaseUrl());
}

export async function updateEventType(deps: EventTypeDeps, hostId: string, eventTypeId: string, input: UpdateEventTypeInput) {
  const current = await requireOwn(deps, hostId, eventTypeId);
  const host = await requireUser(deps, hostId);
  const next: EventType = { ...current, updatedAt: deps.clock.now().toISOString(), version: current.version + 1 };
  for (const field of ['name', 'durationMinutes', 'bufferBeforeMinutes', 'bufferAfterMinutes', 'minNoticeMinutes'] as const) {
    if (input[field] !== undefined) (next as Record<string, unknown>)[field] = input[field];
  }
  if (input.seats !== undefined) next.seats = input.seats;
  if (input.availability === null) delete next.availability;
  else if (input.availability !== undefined) next.availability = input.availability;
  if (input.slotStepMinutes === null) delete next.slotStepMinutes;
  else if (input.slotStepMinutes !== undefined) next.slotStepMinutes = input.slotStepMinutes;
  if (input.dailyLimit === null) delete next.dailyLimit;
  else if (input.dailyLimit !== undefined) next.dailyLimit = input.dailyLimit;
  // Counting, once begun, goes on without a limit: a limit set again finds each day's counter right.
  if (countsDays(current) || countsDays(next)) next.dailyCounted = true;
  if (input.questions !== undefined && !input.questions.length) delete next.questions;
  else if (input.questions !== undefined) next.questions = input.questions;
  check({ ...next, ...(input.slots !== undefined ? { slots: input.slots.map((slot) => slot.start) } : {}) });
  if (input.slots !== undefined) next.slots = normalizeSlots(input.slots, next.availability?.timeZone ?? host.timeZone);
  await deps.eventTypes.replace(current, next);
  return toEventTypeReply(next, deps.publicBaseUrl());
}

export async function deleteEventType(deps: EventTypeDeps, hostId: string, eventTypeId: string): Promise<void> {
  await deps.eventTypes.delete(await requireOwn(deps, hostId, eventTypeId));
}

export async function requireEventTypeBySlug(deps: Pick<SchedulingDeps, 'eventTypes'>, slug: string): Promise<EventType> {
  const eventType = await deps.eventTypes.findBySlug(slug);
  if (!eventType) throw new NotFound('Booking page');
  return eventType;
}

export async function requireHost(deps: Pick<SchedulingDeps, 'users'>, eventType: EventType): Promise<User> {
  const host = await deps.users.get(eventType.hostId);
  // A host who no longer exists has no booking page.
  if (!host) throw new NotFound('Booking page');
  return host;
}

export async function describeBookingPage(deps: Pick<SchedulingDeps, 'eventTypes' | 'users'>, slug: string) {
  const eventType = await requireEventTypeBySlug(deps, slug);
  return toBookingPage(eventType, await requireHost(deps, eventType));
}
