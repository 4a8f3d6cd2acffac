// Meeting use cases: create, read, change or cancel (whole series or one occurrence), accept/decline.
import { DateTime } from 'luxon';
import { newId } from '../kernel/ids';
import { Forbidden, InvalidInput, NotFound } from '../domain/errors';
import { assertCountable, expandOccurrences, isOccurrenceStart, parseRecurrence, presetToRrule, RecurrenceError } from '../domain/recurrence';
import { shareCompany, type ColleagueLookup } from './colleagues';
import type { UserRepo } from '../users/ports';
import type { Clock } from '../kernel/clock';
import { isParticipant, type Attendee, type Meeting, type MeetingOverride, toEventReply, toSeries } from './meeting';
import { isoInZone } from '../kernel/time-zone';
import type { MeetingRepo, ReminderScheduler, WriteBackRequests } from './ports';
import { peopleOf, queueMeetingMail, type MeetingChange } from './meeting-mail';
import { MAX_EVENT_MINUTES, type CreateEventInput, type RecurrenceInput, type UpdateEventInput } from './schemas';
import { MINUTE_MS, DAY_MS } from '../kernel/time-units';

export type MeetingDeps = {
  meetings: MeetingRepo;
  users: UserRepo;
  clock: Clock;
  reminders?: ReminderScheduler;
  /** Copies the organizer's meeting to their destination calendar in Google (queued; never throws). */
  writeBack?: WriteBackRequests;
};

/** The outbox item of a change, with the names, addresses and zones of everyone it concerns read now. */
async function mailOf(deps: MeetingDeps, change: MeetingChange) {
  const people = new Map((await deps.users.getMany(peopleOf(change))).map((user) => [user.id, user]));
  return queueMeetingMail(change, people, deps.clock.now());
}

function invalid(field: string, message: string): InvalidInput {
  return new InvalidInput(`Invalid ${field}: ${message}`, [{ field, message }]);
}

function resolveRecurrence(recurrence: RecurrenceInput, startMs: number, zone: string): { rrule: string; exdates?: string[] } {
  try {
    if ('rrule' in recurrence) {
      const parsed = parseRecurrence(recurrence.rrule, { timeZone: zone });
      return { rrule: parsed.rrule, ...(parsed.exdates.length ? { exdates: parsed.exdates } : {}) };
    }
    return { rrule: presetToRrule(recurrence, DateTime.fromMillis(startMs, { zone })) };
  } catch (error) {
    if (error instanceof RecurrenceError) throw recurrenceInvalid(error);
    throw error;
  }
}

/** 400 naming the field the recurrence error names (`recurrence.rrule`, `recurrence.count`, ...). */
function recurrenceInvalid(error: RecurrenceError): InvalidInput {
  return invalid(error.details?.[0]?.field ?? 'recurrence', error.message);
}

const TEN_YEARS_MS = 10 * 366 * DAY_MS;

/** A rule must produce something: one that never occurs (say Feb 30) is refused rather than stored as a ghost. */
function assertHasOccurrence(meeting: Meeting): void {
  if (!meeting.rrule) return;
  try {
    assertCountable(toSeries(meeting));
  } catch (error) {
    if (error instanceof RecurrenceError) throw recurrenceInvalid(error);
    throw error;
  }
  const start = Date.parse(meeting.start);
  if (expandOccurrences({ ...toSeries(meeting), overrides: [] }, { start, end: start + TEN_YEARS_MS }).length === 0) {
    throw invalid('recurrence', 'The rule has no occurrence in the ten years after the start');
  }
}

/** Start and end as instants, checked: end after start, at most 14 days long. */
function resolveTimes(start: string, end: string | undefined, durationMinutes: number | undefined): { startMs: number; endMs: number } {
  const startMs = Date.parse(start);
  const endMs = end !== undefined ? Date.parse(end) : startMs + durationMinutes! * MINUTE_MS;
  if (endMs <= startMs) throw invalid('end', 'Must be after start');
  if (endMs - startMs > MAX_EVENT_MINUTES * MINUTE_MS) throw invalid('end', 'An event may last at most 14 days');
  return { startMs, endMs };
}

/** How many removed decliners a meeting remembers (a bound on the item; the oldest are forgotten first). */
const MAX_REMEMBERED_DECLINES = 500;

async function resolveAttendees(
  deps: MeetingDeps,
  organizerId: string,
  attendeeIds: string[],
  previous: Attendee[] = [],
  declinedBefore: ReadonlySet<string> = new Set(),
): Promise<Attendee[]> {
  const invitees = [...new Set(attendeeIds.filter((id) => id !== organizerId))];
  const known = new Set((await deps.users.getMany(invitees)).map((user) => user.id));
  const unknown = invitees.filter((id) => !known.has(id));
  if (unknown.length) {
    throw new InvalidInput(
      `Unknown attendees: ${unknown.join(', ')}`,
      unknown.map((id) => ({ field: `attendeeIds.${attendeeIds.indexOf(id)}`, message: `No user ${id}` })),
    );
  }
  const previousStatus = new Map(previous.map((attendee) => [attendee.userId, attendee.status]));
  return [
    { userId: organizerId, status: 'organizer' },
    ...invitees.map((userId) => ({ userId, status: previousStatus.get(userId) ?? (declinedBefore.has(userId) ? 'declined' : 'pending') }) as Attendee),
  ];
}

async function requireMeeting(deps: MeetingDeps, eventId: string): Promise<Meeting> {
  const meeting = await deps.meetings.get(eventId);
  if (!meeting) throw new NotFound('Event');
  return meeting;
}

async function requireOrganizer(deps: MeetingDeps, userId: string, eventId: string): Promise<Meeting> {
  const meeting = await requireMeeting(deps, eventId);
  if (meeting.organizerId !== userId) {
    // Someone who cannot even see the event learns nothing about it.
    if (meeting.visibility === 'private' && !isParticipant(meeting, userId)) throw new NotFound('Event');
    throw new Forbidden('Only the organizer can change or delete this event');
  }
  return meeting;
}

export async function createMeeting(deps: MeetingDeps, organizerId: string, input: CreateEventInput) {
  const organizer = await deps.users.get(organizerId);
  if (!organizer) throw new NotFound('User');
  const zone = input.timeZone ?? organizer.timeZone;
  const { startMs, endMs } = resolveTimes(input.start, input.end, input.durationMinutes);
  const now = deps.clock.now().toISOString();
  const meeting: Meeting = {
    id: newId(),
    title: input.title,
    ...(input.description !== undefined ? { description: input.description } : {}),
    start: isoInZone(startMs, zone),
    end: isoInZone(endMs, zone),
    timeZone: zone,
    organizerId,
    attendees: await resolveAttendees(deps, organizerId, input.attendeeIds ?? []),
    visibility: input.visibility,
    ...(input.recurrence ? resolveRecurrence(input.recurrence, startMs, zone) : {}),
    ...(input.reminders ? { reminders: [...new Set(input.reminders)] } : {}),
    createdAt: now,
    updatedAt: now,
    version: 1,
  };
  assertHasOccurrence(meeting);
  await deps.meetings.create(meeting, await mailOf(deps, { type: 'created', next: meeting }));
  await deps.reminders?.meetingSaved(undefined, meeting);
  await deps.writeBack?.request('meeting', meeting.id, organizerId);
  return toEventReply(meeting, organizerId);
}

/** The meeting as the viewer may see it: in full for its attendees and the organizer's colleagues (public ones), busy-only otherwise. */
export async function getMeeting(deps: MeetingDeps & { colleagues: ColleagueLookup }, viewerId: string, eventId: string) {
  const meeting = await requireMeeting(deps, eventId);
  const organizerIsColleague = !isParticipant(meeting, viewerId) && meeting.visibility === 'public' && (await shareCompany(deps.colleagues, viewerId, meeting.organizerId));
  return toEventReply(meeting, viewerId, organizerIsColleague);
}

/** The original start of an occurrence named in `?occurrence=`, checked against the series. */
function requireOccurrence(meeting: Meeting, occurrence: string): number {
  const originalStart = Date.parse(occurrence);
  if (!meeting.rrule) throw invalid('occurrence', 'This event does not repeat');
  const moved = meeting.overrides?.some((override) => Date.parse(override.originalStart) === originalStart);
  if (!moved && !isOccurrenceStart(toSeries(meeting), originalStart)) throw invalid('occurrence', 'No occurrence of this series starts then');
  return originalStart;
}

function withoutOccurrence<T extends { originalStart: string }>(list: T[] | undefined, originalStart: number): T[] {
  return (list ?? []).filter((entry) => Date.parse(entry.originalStart) !== originalStart);
}

function changeOccurrence(meeting: Meeting, occurrence: string, input: UpdateEventInput): Meeting {
  const allowed = new Set(['title', 'description', 'start', 'end', 'durationMinutes']);
  const refused = Object.keys(input).filter((field) => !allowed.has(field));
  if (refused.length) {
    throw new InvalidInput('Only title, description, start and end can change for one occurrence', refused.map((field) => ({ field, message: 'Change the whole series for this' })));
  }
  const originalStart = requireOccurrence(meeting, occurrence);
  const current = meeting.overrides?.find((override) => Date.parse(override.originalStart) === originalStart);
  const durationMs = Date.parse(meeting.end) - Date.parse(meeting.start);
  const currentStart = current ? Date.parse(current.start) : originalStart;
  const currentEnd = current ? Date.parse(current.end) : originalStart + durationMs;
  const startText = input.start ?? new Date(currentStart).toISOString();
  const { startMs, endMs } = input.end !== undefined || input.durationMinutes !== undefined
    ? resolveTimes(startText, input.end, input.durationMinutes)
    : resolveTimes(startText, undefined, (currentEnd - currentStart) / MINUTE_MS);
  const override: MeetingOverride = {
    ...current,
    originalStart: new Date(originalStart).toISOString(),
    start: isoInZone(startMs, meeting.timeZone),
    end: isoInZone(endMs, meeting.timeZone),
    ...(input.title !== undefined ? { title: input.title } : {}),
    ...(input.description !== undefined ? { description: input.description } : {}),
  };
  return { ...meeting, overrides: [...withoutOccurrence(meeting.overrides, originalStart), override] };
}

async function changeSeries(deps: MeetingDeps, meeting: Meeting, input: UpdateEventInput): Promise<Meeting> {
  const zone = input.timeZone ?? meeting.timeZone;
  const timesChange = input.start !== undefined || input.end !== undefined || input.durationMinutes !== undefined;
  const previousDuration = Date.parse(meeting.end) - Date.parse(meeting.start);
  const { startMs, endMs } = timesChange
    ? resolveTimes(input.start ?? meeting.start, input.end, input.end === undefined ? (input.durationMinutes ?? previousDuration / MINUTE_MS) : undefined)
    : { startMs: Date.parse(meeting.start), endMs: Date.parse(meeting.end) };
  const next: Meeting = {
    ...meeting,
    ...(input.title !== undefined ? { title: input.title } : {}),
    ...(input.description !== undefined ? { description: input.description } : {}),
    ...(input.visibility !== undefined ? { visibility: input.visibility } : {}),
    start: isoInZone(startMs, zone),
    end: isoInZone(endMs, zone),
    timeZone: zone,
  };
  if (input.attendeeIds !== undefined) {
    // A decline stands: whoever declined keeps that answer when removed and invited again.
    const declined = [...(meeting.declinedBy ?? []), ...meeting.attendees.filter((attendee) => attendee.status === 'declined').map((attendee) => attendee.userId)];
    next.attendees = await resolveAttendees(deps, meeting.organizerId, input.attendeeIds, meeting.attendees, new Set(declined));
    const removedDecliners = [...new Set(declined)].filter((userId) => !isParticipant(next, userId));
    if (removedDecliners.length) next.declinedBy = removedDecliners.slice(-MAX_REMEMBERED_DECLINES);
    else delete next.declinedBy;
  }
  if (input.reminders === null) delete next.reminders;
  else if (input.reminders !== undefined) next.reminders = [...new Set(input.reminders)];
  const ruleChanges = input.recurrence !== undefined || (meeting.rrule && (timesChange || input.timeZone !== undefined));
  if (ruleChanges) {
    // A new rule or a moved series starts clean: exceptions of the old pattern would name occurrences that no longer exist.
    delete next.rrule;
    delete next.exdates;
    delete next.cancelled;
    delete next.overrides;
    const recurrence = input.recurrence === undefined ? (meeting.rrule ? { rrule: meeting.rrule } : null) : input.recurrence;
    if (recurrence) Object.assign(next, resolveRecurrence(recurrence, startMs, zone));
    if (input.recurrence === undefined && meeting.exdates) next.exdates = meeting.exdates;
  }
  return next;
}

export async function updateMeeting(deps: MeetingDeps, userId: string, eventId: string, occurrence: string | undefined, input: UpdateEventInput) {
  const meeting = await requireOrganizer(deps, userId, eventId);
  const changed = occurrence ? changeOccurrence(meeting, occurrence, input) : await changeSeries(deps, meeting, input);
  const next = { ...changed, updatedAt: deps.clock.now().toISOString(), version: meeting.version + 1 };
  assertHasOccurrence(next);
  const mail = await mailOf(deps, { type: 'updated', previous: meeting, next, ...(occurrence ? { occurrence: Date.parse(occurrence) } : {}) });
  await deps.meetings.replace(meeting, next, mail);
  await deps.reminders?.meetingSaved(meeting, next);
  await deps.writeBack?.request('meeting', meeting.id, meeting.organizerId);
  return toEventReply(next, userId);
}

export async function deleteMeeting(deps: MeetingDeps, userId: string, eventId: string, occurrence: string | undefined): Promise<void> {
  const meeting = await requireOrganizer(deps, userId, eventId);
  if (!occurrence) {
    await deps.meetings.delete(meeting, await mailOf(deps, { type: 'deleted', previous: meeting }));
    await deps.reminders?.meetingDeleted(meeting);
    await deps.writeBack?.request('meeting', meeting.id, meeting.organizerId);
    return;
  }
  const originalStart = requireOccurrence(meeting, occurrence);
  const cancelled = new Set(meeting.cancelled ?? []);
  cancelled.add(new Date(originalStart).toISOString());
  const next: Meeting = {
    ...meeting,
    cancelled: [...cancelled],
    overrides: withoutOccurrence(meeting.overrides, originalStart),
    updatedAt: deps.clock.now().toISOString(),
    version: meeting.version + 1,
  };
  await deps.meetings.replace(meeting, next, await mailOf(deps, { type: 'occurrence_cancelled', previous: meeting, next, occurrence: originalStart }));
  await deps.reminders?.meetingSaved(meeting, next);
  await deps.writeBack?.request('meeting', meeting.id, meeting.organizerId);
}

export async function respondToMeeting(deps: MeetingDeps, userId: string, eventId: string, status: 'accepted' | 'declined') {
  const meeting = await requireMeeting(deps, eventId);
  const attendee = meeting.attendees.find((a) => a.userId === userId);
  if (!attendee || attendee.status === 'organizer') {
    if (attendee) throw new InvalidInput('The organizer does not answer their own invitation', [{ field: 'eventId', message: 'You organize this event' }]);
    throw new NotFound('Invitation');
  }
  const next: Meeting = {
    ...meeting,
    attendees: meeting.attendees.map((a) => (a.userId === userId ? { ...a, status } : a)),
    updatedAt: deps.clock.now().toISOString(),
    version: meeting.version + 1,
  };
  await deps.meetings.replace(meeting, next);
  await deps.reminders?.meetingSaved(meeting, next);
  return toEventReply(next, userId);
}
