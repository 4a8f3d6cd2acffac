// Scheduling's domain errors (codes mapped to statuses in lib/http/errors.ts).
import { Conflict, DomainError, RuleViolation } from '../domain/errors';

export class SlotTaken extends Conflict {
  constructor(message = 'This time is no longer free; pick another slot') {
    super('slot_taken', message);
  }
}

/** Thrown by the store when another request claimed the same slug first. */
export class SlugTaken extends DomainError {
  constructor() {
    super('slug_taken', 'The slug is taken');
  }
}

/** Thrown by the store when another request with the same idempotency key has been written first. */
export class IdempotencyKeyTaken extends DomainError {
  constructor() {
    super('idempotency_key_taken', 'A booking with this Idempotency-Key exists');
  }
}

export class IdempotencyKeyReused extends RuleViolation {
  constructor() {
    super('idempotency_key_reused', 'This Idempotency-Key was used for a different booking request', [
      { field: 'Idempotency-Key', message: 'Use a new key for a new request' },
    ]);
  }
}

/** Transactions kept losing races on the host's items; nothing was written. */
export class BookingContention extends Conflict {
  constructor() {
    super('booking_busy', "Many bookings of this host are changing right now; nothing was written, try again");
  }
}

/** Changing a booking that is cancelled (it stays, for its .ics CANCEL). */
export class BookingCancelled extends Conflict {
  constructor() {
    super('booking_cancelled', 'The booking is cancelled; book a new time instead');
  }
}

/** A seat of a group slot holds the slot's shared lock; it is not moved alone. */
export class SeatCannotMove extends Conflict {
  constructor() {
    super('seat_cannot_move', 'A seat of a group slot cannot be rescheduled; cancel it and book another slot');
  }
}

/** Moving the booking would change more lock cells than one transaction holds (a long booking moved far). */
export class BookingMoveTooLarge extends DomainError {
  constructor(items: number) {
    super('booking_move_too_large', `Moving the booking needs ${items} writes, more than one transaction holds`);
  }
}

/**
 * A booking of an event type stored before its size was checked (eventTypeProblems) would need more writes than one
 * transaction holds: refused before the transaction, nothing written.
 */
export class BookingTooLarge extends DomainError {
  constructor(items: number) {
    super('booking_too_large', `A booking of this event type needs ${items} writes, more than one transaction holds; the host has to shorten it`);
  }
}

/** The event type's daily limit is reached on that day (in the event type's zone). */
export class DailyLimitReached extends Conflict {
  constructor(limit: number) {
    super('daily_limit_reached', `This event type takes at most ${limit} bookings a day, and this day is full; pick another day`);
  }
}
