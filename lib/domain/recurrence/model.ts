// The recurrence vocabulary: series, occurrences and presets, the input error, and the limits input is held to.
import { DomainError } from '../errors';

/**
 * A recurrence the caller sent is malformed; `message` names what is wrong and the one detail names the
 * request field (`recurrence.rrule`, `recurrence.count`, ...), so the HTTP layer can answer 400 as usual.
 */
export class RecurrenceError extends DomainError {
  declare readonly code: 'invalid_recurrence';

  constructor(message: string, field = 'recurrence.rrule') {
    super('invalid_recurrence', message, [{ field, message }]);
  }
}

export const WEEKDAY_CODES = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;
export type WeekdayCode = (typeof WEEKDAY_CODES)[number];

export type RecurrencePreset = {
  frequency: 'daily' | 'weekly' | 'monthly' | 'yearly' | 'weekdays';
  interval?: number;
  byWeekday?: WeekdayCode[];
  monthlyBy?: 'dayOfMonth' | 'nthWeekday';
  count?: number;
  /** An ISO date-time (with or without offset; without one it is read in the event zone) or YYYY-MM-DD (inclusive). */
  until?: string;
};

export type ParsedRecurrence = {
  /** The rule body, upper-cased, without the "RRULE:" prefix. */
  rrule: string;
  /** Excluded occurrence starts as UTC ISO instants (`2026-03-10T09:00:00Z`). */
  exdates: string[];
};

export type SeriesOverride = { originalStart: string; start: string; end: string; [key: string]: unknown };

export type Series<O extends SeriesOverride = SeriesOverride> = {
  /** The first occurrence's start, ISO with offset. */
  start: string;
  /** Exact length of every occurrence (RFC 5545: DTEND - DTSTART applies to each member). */
  durationMs: number;
  /** IANA zone whose wall clock the rule follows. */
  timeZone: string;
  /** RRULE body (an "RRULE:" prefix is tolerated); absent for a single event. */
  rrule?: string;
  /** Excluded occurrence starts, ISO instants. */
  exdates?: string[];
  /** Cancelled occurrence starts, ISO instants (kept apart from exdates because they come from exceptions). */
  cancelled?: string[];
  /** Occurrences moved or changed, keyed by the start they would have had. */
  overrides?: O[];
};

export type Occurrence<O extends SeriesOverride = SeriesOverride> = {
  originalStart: number;
  start: number;
  end: number;
  override?: O;
};

/** A rule may yield at most this many occurrences a day (BYHOUR values times BYMINUTE values); more is refused on input. */
export const MAX_OCCURRENCES_PER_DAY = 4;
/** The largest COUNT a rule may have on input (the same as the presets' `count`). */
export const MAX_RULE_COUNT = 5000;

/** Upper bound on the occurrences one expandOccurrences call returns (the earliest ones are kept). */
export const MAX_OCCURRENCES_PER_CALL = 5000;
