// The event type entity (what a host offers on a booking link), its checks, slug and the views of it.
import { questionProblems, type Question } from '../domain/booking-questions';
import { dateOverrideProblems, type DateOverride } from '../domain/date-overrides';
import type { ErrorDetail } from '../domain/errors';
import type { SlotRules } from '../domain/slots';
import type { WorkingHours } from '../domain/working-hours';
import type { User } from '../users/user';
import { CELL_MINUTES } from '../domain/lock-cells';
import { MAX_LOCK_MINUTES, MAX_TRANSACTION_ITEMS } from './schemas';

export type EventTypeKind = 'one_on_one' | 'group' | 'one_off';

export type AvailabilityRules = {
  timeZone: string;
  weekly: WorkingHours;
  dateFrom?: string;
  dateTo?: string;
  dates?: string[];
  /** Bookable up to this many local days after today. */
  rollingDays?: number;
  /** Other hours on single local dates. */
  overrides?: DateOverride[];
};

export type EventType = {
  id: string;
  hostId: string;
  slug: string;
  name: string;
  kind: EventTypeKind;
  durationMinutes: number;
  /** Guests per slot: 1 unless the kind is group. */
  seats: number;
  /** Absent: the host's working hours in the host's zone, read when slots are computed. */
  availability?: AvailabilityRules;
  /** One-off only: the fixed starts (ISO with offset). */
  slots?: string[];
  bufferBeforeMinutes: number;
  bufferAfterMinutes: number;
  minNoticeMinutes: number;
  slotStepMinutes?: number;
  /** At most this many bookings per local day (in the event type's zone). */
  dailyLimit?: number;
  /**
   * Set once the event type has had a daily limit, and kept when the limit is lifted: its bookings keep counting in
   * their day's counter, so a limit set again later finds every day's count right (see countsDays).
   */
  dailyCounted?: boolean;
  /** Asked on the booking page. */
  questions?: Question[];
  createdAt: string;
  updatedAt: string;
  version: number;
};

/** Cross-field rules the schemas cannot see; one detail per offending field. */
export function eventTypeProblems(eventType: Omit<EventType, 'id' | 'hostId' | 'slug' | 'createdAt' | 'updatedAt' | 'version' | 'seats'> & { seats?: number }): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  if (eventType.kind === 'group' && eventType.seats === undefined) problems.push({ field: 'seats', message: 'A group event type needs seats' });
  if (eventType.kind !== 'group' && eventType.seats !== undefined && eventType.seats !== 1) {
    problems.push({ field: 'seats', message: 'Only group event types have seats' });
  }
  if (eventType.kind === 'one_off') {
    if (!eventType.slots?.length) problems.push({ field: 'slots', message: 'A one-off event type needs its list of slots' });
    if (eventType.availability) problems.push({ field: 'availability', message: 'A one-off event type offers its slots only' });
    if (eventType.slotStepMinutes !== undefined) problems.push({ field: 'slotStepMinutes', message: 'A one-off event type offers its slots only' });
    const seen = new Set<number>();
    eventType.slots?.forEach((start, index) => {
      const instant = Date.parse(start);
      if (seen.has(instant)) problems.push({ field: `slots.${index}.start`, message: 'Listed twice' });
      seen.add(instant);
    });
  } else if (eventType.slots !== undefined) {
    problems.push({ field: 'slots', message: 'Only one-off event types have a fixed list of slots' });
  }
  const span = eventType.durationMinutes + eventType.bufferBeforeMinutes + eventType.bufferAfterMinutes;
  const maxSpan = maxLockMinutesOf(eventType);
  if (span > maxSpan) {
    const why = maxSpan < MAX_LOCK_MINUTES ? ` for a ${[eventType.kind === 'group' ? 'group event type' : 'event type', countsDays(eventType) ? 'with a daily limit' : ''].filter(Boolean).join(' ')}, whose booking is one transaction of at most ${MAX_TRANSACTION_ITEMS} writes` : '';
    problems.push({ field: 'durationMinutes', message: `Duration plus buffers may be at most ${maxSpan} minutes${why} (is ${span})` });
  }
  const { availability } = eventType;
  if (availability?.dateFrom && availability.dateTo && availability.dateTo < availability.dateFrom) {
    problems.push({ field: 'availability.dateTo', message: 'Must not be before dateFrom' });
  }
  if (availability?.overrides) problems.push(...dateOverrideProblems(availability.overrides));
  if (eventType.questions) problems.push(...questionProblems(eventType.questions));
  return problems;
}

/** Lower-case ASCII words joined by hyphens ("Intro Call!" -> "intro-call"). */
export function slugify(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/g, '');
}

/** A readable slug: the host's name and the event's name ("ada-lovelace-intro-call"). */
export function baseSlug(hostName: string, eventName: string): string {
  return [slugify(hostName), slugify(eventName)].filter(Boolean).join('-') || 'event';
}

/**
 * The writes of one booking's transaction besides its lock cells: the booking, its host index item, the idempotency
 * claim, two mails (guest and host), and the seat counter of a group slot and the day's counter when counted.
 */
export function bookingFixedWrites(eventType: Pick<EventType, 'kind' | 'dailyLimit' | 'dailyCounted'>): number {
  return 5 + (eventType.kind === 'group' ? 1 : 0) + (countsDays(eventType) ? 1 : 0);
}

/**
 * The longest duration plus buffers whose booking fits one transaction: a span of 5 * (n - 1) minutes touches at most
 * n cells wherever it starts. 470 for a one-on-one or one-off event type, 465 for a group one or one with a daily
 * limit, 460 for a group one with a daily limit.
 */
export function maxLockMinutesOf(eventType: Pick<EventType, 'kind' | 'dailyLimit' | 'dailyCounted'>): number {
  return Math.min(MAX_LOCK_MINUTES, CELL_MINUTES * (MAX_TRANSACTION_ITEMS - bookingFixedWrites(eventType) - 1));
}

/** Whether bookings of the event type count in their local day's counter: while it has a daily limit, and ever after. */
export function countsDays(eventType: Pick<EventType, 'dailyLimit' | 'dailyCounted'>): boolean {
  return eventType.dailyLimit !== undefined || eventType.dailyCounted === true;
}

/** The zone the event type's times are read in: its availability's, else the host's. */
export function zoneOf(eventType: EventType, host: Pick<User, 'timeZone'>): string {
  return eventType.availability?.timeZone ?? host.timeZone;
}

/** The pure slot rules of an event type for this host (the default availability is the host's working hours). */
export function slotRulesOf(eventType: EventType, host: Pick<User, 'timeZone' | 'workingHours'>): SlotRules {
  const availability: SlotRules['availability'] =
    eventType.kind === 'one_off'
      ? { kind: 'fixed', starts: (eventType.slots ?? []).map((start) => Date.parse(start)) }
      : { kind: 'weekly', ...(eventType.availability ?? { timeZone: host.timeZone, weekly: host.workingHours }) };
  return {
    durationMinutes: eventType.durationMinutes,
    bufferBeforeMinutes: eventType.bufferBeforeMinutes,
    bufferAfterMinutes: eventType.bufferAfterMinutes,
    minNoticeMinutes: eventType.minNoticeMinutes,
    slotStepMinutes: eventType.slotStepMinutes,
    availability,
  };
}

export function bookingUrl(publicBaseUrl: string, slug: string): string {
  return `${publicBaseUrl.replace(/\/+$/, '')}/app/book/${encodeURIComponent(slug)}`;
}

/** What the owner sees. */
export function toEventTypeReply(eventType: EventType, publicBaseUrl: string) {
  return {
    id: eventType.id,
    slug: eventType.slug,
    bookingUrl: bookingUrl(publicBaseUrl, eventType.slug),
    name: eventType.name,
    kind: eventType.kind,
    durationMinutes: eventType.durationMinutes,
    ...(eventType.kind === 'group' ? { seats: eventType.seats } : {}),
    ...(eventType.availability ? { availability: eventType.availability } : {}),
    ...(eventType.slots ? { slots: eventType.slots.map((start) => ({ start })) } : {}),
    bufferBeforeMinutes: eventType.bufferBeforeMinutes,
    bufferAfterMinutes: eventType.bufferAfterMinutes,
    minNoticeMinutes: eventType.minNoticeMinutes,
    ...(eventType.slotStepMinutes !== undefined ? { slotStepMinutes: eventType.slotStepMinutes } : {}),
    ...(eventType.dailyLimit !== undefined ? { dailyLimit: eventType.dailyLimit } : {}),
    ...(eventType.questions?.length ? { questions: eventType.questions } : {}),
    createdAt: eventType.createdAt,
    updatedAt: eventType.updatedAt,
  };
}

/** What anyone with the link sees. */
export function toBookingPage(eventType: EventType, host: Pick<User, 'name' | 'timeZone'>) {
  return {
    slug: eventType.slug,
    hostName: host.name,
    name: eventType.name,
    kind: eventType.kind,
    durationMinutes: eventType.durationMinutes,
    timeZone: zoneOf(eventType, host),
    ...(eventType.kind === 'group' ? { seats: eventType.seats } : {}),
    ...(eventType.questions?.length ? { questions: eventType.questions } : {}),
  };
}
