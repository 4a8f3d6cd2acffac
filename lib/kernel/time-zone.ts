// IANA time zone names and ISO 8601 date-times with an explicit offset: validation, parsing, formatting in a zone.
import { DateTime, IANAZone } from 'luxon';

// Shape of an IANA name ("UTC", "Europe/Berlin", "America/Argentina/Buenos_Aires", "Etc/GMT+5"); it keeps
// out things Intl might also accept in some Node versions (offsets like "+01:00") that are not zone names.
const ZONE_NAME = /^[A-Za-z][A-Za-z0-9_+-]*(?:\/[A-Za-z0-9_+-]+)*$/;

// Zones found valid once (a few hundred names at most: only the tz database's): luxon's check builds an
// Intl.DateTimeFormat each time, ~40 µs, and expanding a calendar asks for every meeting.
const knownZones = new Set<string>();

/** True for a time zone the runtime's tz database knows by an IANA name ("UTC", "Europe/Berlin"). */
export function isValidTimeZone(name: string): boolean {
  if (knownZones.has(name)) return true;
  const valid = ZONE_NAME.test(name) && IANAZone.isValidZone(name);
  if (valid) knownZones.add(name);
  return valid;
}

// RFC 3339 style: date, "T", time with optional seconds and fraction, then "Z" or a ±HH:MM offset.
const DATE_TIME_WITH_OFFSET =
  /^\d{4}-\d{2}-\d{2}T(?:[01]\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:\.\d{1,9})?)?(?:Z|[+-](?:[01]\d|2[0-3]):[0-5]\d)$/;

/** True for strings like `2026-03-02T09:00:00+01:00` or `2026-03-02T08:00:00Z` that name a real calendar date. */
export function isIsoDateTimeWithOffset(text: string): boolean {
  // The pattern checks the shape; luxon rejects impossible dates such as February 30.
  return DATE_TIME_WITH_OFFSET.test(text) && DateTime.fromISO(text, { setZone: true }).isValid;
}

/** An instant as ISO 8601 with the offset the zone has at that instant (no milliseconds when they are zero). */
export function isoInZone(epochMs: number, zone: string): string {
  return DateTime.fromMillis(epochMs, { zone }).toISO({ suppressMilliseconds: true })!;
}

/** Epoch ms of an ISO date-time with offset, or null when `text` is not one. */
export function parseIsoInstant(text: string): number | null {
  return isIsoDateTimeWithOffset(text) ? DateTime.fromISO(text).toMillis() : null;
}
