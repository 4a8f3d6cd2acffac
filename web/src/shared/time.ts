// Time zones in the browser with Intl only (no date library): wall clocks, offsets, zoned instants, labels.
// Dates as 'YYYY-MM-DD' keys are civil dates; arithmetic on them goes through Date.UTC, never the local zone.

const formatters = new Map<string, Intl.DateTimeFormat>();

function wallFormatter(zone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(zone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
    });
    formatters.set(zone, formatter);
  }
  return formatter;
}

export type WallClock = { year: number; month: number; day: number; hour: number; minute: number; second: number };

export function wallClock(instant: number, zone: string): WallClock {
  const parts: Record<string, number> = {};
  for (const part of wallFormatter(zone).formatToParts(new Date(instant))) if (part.type !== 'literal') parts[part.type] = Number(part.value);
  return { year: parts.year, month: parts.month, day: parts.day, hour: parts.hour % 24, minute: parts.minute, second: parts.second };
}

/** Minutes the zone is ahead of UTC at that instant (Berlin in winter: 60). */
export function offsetMinutes(instant: number, zone: string): number {
  const wall = wallClock(instant, zone);
  const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
  return Math.round((asUtc - Math.floor(instant / 1000) * 1000) / 60_000);
}

/** The instant of a wall-clock time in a zone (a time skipped by DST moves forward, as calendars do). */
export function zonedInstant(zone: string, year: number, month: number, day: number, hour = 0, minute = 0): number {
  const guess = Date.UTC(year, month - 1, day, hour, minute);
  const first = guess - offsetMinutes(guess, zone) * 60_000;
  const second = guess - offsetMinutes(first, zone) * 60_000;
  return second;
}

const pad = (value: number, length = 2) => String(value).padStart(length, '0');

/** ISO 8601 with the zone's offset at that instant: what the API expects and returns. */
export function isoInZone(instant: number, zone: string): string {
  const wall = wallClock(instant, zone);
  const offset = offsetMinutes(instant, zone);
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  return `${pad(wall.year, 4)}-${pad(wall.month)}-${pad(wall.day)}T${pad(wall.hour)}:${pad(wall.minute)}:${pad(wall.second)}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** The instant of an <input type="datetime-local"> value ("2026-03-02T09:30"), read as a wall time in `zone`. */
export function instantOfLocalInput(text: string, zone: string): number {
  const [date, time = '00:00'] = text.split('T');
  const [year, month, day] = date.split('-').map(Number);
  const [hour, minute] = time.split(':').map(Number);
  return zonedInstant(zone, year, month, day, hour, minute);
}

/** The <input type="datetime-local"> value of an instant in `zone` (minutes precision). */
export function localInputOf(instant: number, zone: string): string {
  return isoInZone(instant, zone).slice(0, 16);
}

export function dateKey(instant: number, zone: string): string {
  const wall = wallClock(instant, zone);
  return `${pad(wall.year, 4)}-${pad(wall.month)}-${pad(wall.day)}`;
}

export function parseDateKey(key: string): { year: number; month: number; day: number } {
  const [year, month, day] = key.split('-').map(Number);
  return { year, month, day };
}

export function addDays(key: string, days: number): string {
  const { year, month, day } = parseDateKey(key);
  const date = new Date(Date.UTC(year, month - 1, day + days));
  return `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
}

/** 0 = Monday ... 6 = Sunday (ISO weeks, as working hours are keyed). */
export function isoWeekday(key: string): number {
  const { year, month, day } = parseDateKey(key);
  return (new Date(Date.UTC(year, month - 1, day)).getUTCDay() + 6) % 7;
}

export function startOfDay(key: string, zone: string): number {
  const { year, month, day } = parseDateKey(key);
  return zonedInstant(zone, year, month, day);
}

export function browserZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

let zoneList: string[] | undefined;
/** Every IANA zone the browser knows, with UTC first. */
export function allZones(): string[] {
  if (!zoneList) {
    const supported = (Intl as unknown as { supportedValuesOf?: (key: string) => string[] }).supportedValuesOf?.('timeZone') ?? [];
    zoneList = ['UTC', ...supported.filter((zone) => zone !== 'UTC')];
  }
  return zoneList;
}

/** A zone list that surely contains `zone` (some browsers list only canonical names). */
export function zonesIncluding(zone: string): string[] {
  const zones = allZones();
  return zones.includes(zone) ? zones : [zone, ...zones];
}

export function formatTime(instant: number, zone: string): string {
  return new Intl.DateTimeFormat(undefined, { timeZone: zone, hour: 'numeric', minute: '2-digit' }).format(new Date(instant));
}

export function formatDate(instant: number, zone: string, style: 'long' | 'short' = 'long'): string {
  const options: Intl.DateTimeFormatOptions =
    style === 'long' ? { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' } : { weekday: 'short', day: 'numeric', month: 'short' };
  return new Intl.DateTimeFormat(undefined, { timeZone: zone, ...options }).format(new Date(instant));
}

export function formatDateTime(instant: number, zone: string): string {
  return `${formatDate(instant, zone, 'short')}, ${formatTime(instant, zone)}`;
}

/** "10:00 – 10:30" in a zone. */
export function formatRange(start: number, end: number, zone: string): string {
  return `${formatTime(start, zone)} – ${formatTime(end, zone)}`;
}

/** Month name and year of a civil month ("March 2026"). */
export function formatMonth(year: number, month: number): string {
  return new Intl.DateTimeFormat(undefined, { timeZone: 'UTC', month: 'long', year: 'numeric' }).format(new Date(Date.UTC(year, month - 1, 1)));
}

/** A civil date key spelled out ("Tuesday, 3 March 2026"). */
export function formatDateKey(key: string, style: 'long' | 'short' = 'long'): string {
  const { year, month, day } = parseDateKey(key);
  return formatDate(Date.UTC(year, month - 1, day, 12), 'UTC', style);
}

/** Short weekday names starting Monday, in the browser's language. */
export function weekdayNames(style: 'short' | 'long' = 'short'): string[] {
  const format = new Intl.DateTimeFormat(undefined, { timeZone: 'UTC', weekday: style });
  return Array.from({ length: 7 }, (_, index) => format.format(new Date(Date.UTC(2024, 0, 1 + index))));
}

/** "GMT+1"-style label of a zone's offset at an instant, for showing beside the zone name. */
export function offsetLabel(instant: number, zone: string): string {
  const offset = offsetMinutes(instant, zone);
  const sign = offset < 0 ? '−' : '+';
  const abs = Math.abs(offset);
  return `UTC${sign}${Math.floor(abs / 60)}${abs % 60 ? `:${pad(abs % 60)}` : ''}`;
}
