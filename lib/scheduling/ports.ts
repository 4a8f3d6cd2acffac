// What the scheduling use cases need from storage and from other features.
import type { BusySource, WriteBackRequests } from '../meetings/ports';
import type { Interval } from '../domain/interval';
import type { UserRepo } from '../users/ports';
import type { Clock } from '../kernel/clock';
import type { Booking, HostBooking } from './booking';
import type { EventType } from './event-type';
import type { QueuedMail } from '../domain/mail-messages';

export type { QueuedMail };

export type EventTypeRepo = {
  /** Writes the event type and claims its slug in one transaction; SlugTaken when the slug is claimed. */
  create(eventType: EventType): Promise<void>;
  get(hostId: string, eventTypeId: string): Promise<EventType | undefined>;
  findBySlug(slug: string): Promise<EventType | undefined>;
  listForHost(hostId: string): Promise<EventType[]>;
  /** Replaces `previous` if the stored version is still its version. */
  replace(previous: EventType, next: EventType): Promise<void>;
  /** Deletes the event type; its slug claim stays as a tombstone (never claimed again) and its bookings stay. */
  delete(eventType: EventType): Promise<void>;
};

/** A group slot's seat: counted with a conditional counter in the booking's transaction. */
export type SeatClaim = { eventTypeId: string; start: number; seats: number };

/**
 * The booking counted in its local day's counter of the event type (`date` = booking.countedDay), in its transaction:
 * refused (DailyLimitReached) when the counter has reached `limit`. `seed`: the day's bookings of the event type as read
 * before, the counter's start when the day has none yet (bookings made before the counters existed).
 */
export type DayClaim = { date: string; seed: number; limit?: number };

/** An Idempotency-Key claimed in the booking's transaction. */
export type IdempotencyClaim = { slug: string; keyHash: string; fingerprint: string; sealedToken: string; expiresAt: number };
export type IdempotencyRecord = { bookingId: string; fingerprint: string; sealedToken: string; expiresAt: number };

export type BookingRepo = {
  /**
   * Writes the booking, its host index item, one lock item per cell, the seat count (group) and the
   * idempotency claim in one transaction. SlotTaken when a cell or the seat count is taken;
   * IdempotencyKeyTaken when the key was claimed first; DailyLimitReached when the day's counter is full (`day`).
   * `mail` goes to the outbox in the same transaction.
   */
  create(booking: Booking, claims: { seat?: SeatClaim; idempotency?: IdempotencyClaim; day?: DayClaim; mail?: QueuedMail[] }): Promise<void>;
  get(bookingId: string): Promise<Booking | undefined>;
  findIdempotency(slug: string, keyHash: string, nowSeconds: number): Promise<IdempotencyRecord | undefined>;
  /** Confirmed bookings of a host whose lock span meets the range. */
  listForHost(hostId: string, range: Interval): Promise<HostBooking[]>;
  /** Confirmed bookings of a host starting in [from, to), by start, one page. */
  pageForHost(hostId: string, query: { from: number; to?: number; limit: number; cursor?: string }): Promise<{ items: HostBooking[]; nextCursor?: string }>;
  /** Seats taken per group slot start in the range. */
  seatsTaken(eventTypeId: string, range: Interval): Promise<Map<number, number>>;
  /**
   * Marks the booking cancelled and frees its time (cells, index, seat, its count in its day's counter) in one transaction, with `mail` in the outbox.
   * A booking cancelled meanwhile by another request is returned as it is, and this request's mail is not written.
   */
  cancel(booking: Booking, change: { cancelledAt: string; cancelledBy: 'guest' | 'host' }, mail?: QueuedMail[]): Promise<Booking>;
  /**
   * Changes a confirmed booking in one transaction: the booking (if its version is still the same), its host index
   * item and, when it moves, the cells it leaves (given back) and the cells it reaches (claimed). SlotTaken when
   * another booking holds one of those; nothing is written then (no `mail` either). A seat of a group slot does not move.
   * `day`: the booking moves to another local day (change.countedDay = day.date): counted there (DailyLimitReached when
   * full) and given back on its old day, in the same transaction.
   */
  replace(
    booking: Booking,
    change: Partial<Pick<Booking, 'start' | 'end' | 'cells' | 'bufferBeforeMinutes' | 'bufferAfterMinutes' | 'rescheduledAt' | 'googleConflict' | 'countedDay'>>,
    mail?: QueuedMail[],
    day?: DayClaim,
  ): Promise<Booking>;
};

export type SchedulingDeps = {
  eventTypes: EventTypeRepo;
  bookings: BookingRepo;
  users: UserRepo;
  clock: Clock;
  /** The host's meetings (accepted, pending or organized). */
  hostBusy: BusySource;
  /** Synced Google busy time; a port with no adapter yet (the Google sync is another issue). */
  externalBusy: BusySource;
  /** Bearer token -> user id (throws Unauthorized). */
  verifyBearer(token: string): Promise<string>;
  publicBaseUrl(): string;
  /** Copies the booking to the host's destination calendar in Google (queued; never throws). */
  writeBack?: WriteBackRequests;
};
