// Recurrence: Google-style presets to RRULE, parsing custom rules with EXDATEs, and DST-correct expansion.
import { DateTime } from 'luxon';
import { type Options, RRule } from 'rrule';
import { DomainError } from './errors';
import type { Interval } from './interval';
import { isValidTimeZone } from '../kernel/time-zone';
import { reportExpansionBudgetExceeded } from './expansion-budget';

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

const DAY_MS = 24 * 60 * 60 * 1000;

// ---------------------------------------------------------------------------------------------------
// Presets

/**
 * The RRULE body for a preset, e.g. `FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE;COUNT=10`. `firstStart` is the
 * first occurrence as a wall-clock DateTime in the event zone; it supplies the weekday, day of month and
 * month that the preset leaves implicit, and the zone in which a date-only `until` ends.
 */
export function presetToRrule(preset: RecurrencePreset, firstStart: DateTime): string {
  if (!firstStart.isValid) throw new RecurrenceError('the first start is not a valid date-time', 'start');
  checkPreset(preset);
  const frequency = preset.frequency === 'weekdays' ? 'WEEKLY' : preset.frequency.toUpperCase();
  const parts = [`FREQ=${frequency}`];
  if (preset.interval !== undefined && preset.interval !== 1) parts.push(`INTERVAL=${preset.interval}`);
  parts.push(...patternParts(preset, firstStart));
  if (preset.count !== undefined) parts.push(`COUNT=${preset.count}`);
  if (preset.until !== undefined) parts.push(`UNTIL=${presetUntil(preset.until, firstStart)}`);
  return parts.join(';');
}

function checkPreset(preset: RecurrencePreset): void {
  const frequencies = ['daily', 'weekly', 'monthly', 'yearly', 'weekdays'];
  if (!frequencies.includes(preset.frequency)) throw new RecurrenceError(`unknown frequency "${preset.frequency}"`, 'recurrence.frequency');
  checkPositiveInteger(preset.interval, 'interval');
  checkPositiveInteger(preset.count, 'count');
  if (preset.count !== undefined && preset.count > MAX_RULE_COUNT) throw new RecurrenceError(`count must be at most ${MAX_RULE_COUNT}`, 'recurrence.count');
  if (preset.count !== undefined && preset.until !== undefined) {
    throw new RecurrenceError('count and until cannot be used together', 'recurrence.until');
  }
  if (preset.byWeekday !== undefined) {
    if (preset.frequency !== 'weekly') throw new RecurrenceError('byWeekday is only allowed with frequency "weekly"', 'recurrence.byWeekday');
    if (preset.byWeekday.length === 0) throw new RecurrenceError('byWeekday must name at least one day', 'recurrence.byWeekday');
    const unknown = preset.byWeekday.find((day) => !(WEEKDAY_CODES as readonly string[]).includes(day));
    if (unknown !== undefined) throw new RecurrenceError(`byWeekday has an unknown day "${unknown}"`, 'recurrence.byWeekday');
  }
  if (preset.monthlyBy !== undefined) {
    if (preset.frequency !== 'monthly') throw new RecurrenceError('monthlyBy is only allowed with frequency "monthly"', 'recurrence.monthlyBy');
    if (preset.monthlyBy !== 'dayOfMonth' && preset.monthlyBy !== 'nthWeekday') {
      throw new RecurrenceError(`unknown monthlyBy "${preset.monthlyBy}"`, 'recurrence.monthlyBy');
    }
  }
}

function checkPositiveInteger(value: number | undefined, name: string): void {
  if (value !== undefined && !(Number.isSafeInteger(value) && value > 0)) {
    throw new RecurrenceError(`${name} must be a positive integer`, `recurrence.${name}`);
  }
}

// The parts a preset leaves implicit are written out, so the stored rule means the same thing without DTSTART.
function patternParts(preset: RecurrencePreset, firstStart: DateTime): string[] {
  const startWeekday = WEEKDAY_CODES[firstStart.weekday - 1];
  switch (preset.frequency) {
    case 'daily':
      return [];
    case 'weekdays':
      return ['BYDAY=MO,TU,WE,TH,FR'];
    case 'weekly': {
      const days = preset.byWeekday ?? [startWeekday];
      return [`BYDAY=${WEEKDAY_CODES.filter((code) => days.includes(code)).join(',')}`];
    }
    case 'monthly':
      return preset.monthlyBy === 'nthWeekday'
        ? [`BYDAY=${weekdayOrdinal(firstStart)}${startWeekday}`]
        : [`BYMONTHDAY=${firstStart.day}`];
    case 'yearly':
      return [`BYMONTH=${firstStart.month}`, `BYMONTHDAY=${firstStart.day}`];
  }
}

/**
 * Which occurrence of its weekday the start is within its month: 1 to 4, or -1 ("last") for a fifth
 * one, which not every month has. This matches what Google offers: "the fourth Monday" or "the last Monday".
 */
function weekdayOrdinal(firstStart: DateTime): number {
  const nth = Math.ceil(firstStart.day / 7);
  return nth === 5 ? -1 : nth;
}

/** UNTIL in UTC form; a date-only value includes that whole day in the event zone. */
function presetUntil(until: string, firstStart: DateTime): string {
  const zone = firstStart.zone;
  const isDateOnly = /^\d{4}-\d{2}-\d{2}$/.test(until);
  const parsed = isDateOnly ? DateTime.fromISO(until, { zone }).endOf('day') : DateTime.fromISO(until, { zone });
  if (!parsed.isValid) throw new RecurrenceError('until must be an ISO date-time or a date YYYY-MM-DD', 'recurrence.until');
  if (parsed < firstStart) throw new RecurrenceError('until is before the first occurrence', 'recurrence.until');
  return parsed.toUTC().toFormat("yyyyMMdd'T'HHmmss'Z'");
}

// ---------------------------------------------------------------------------------------------------
// Parsing custom rules

/**
 * Validates a custom recurrence: lines of `RRULE:...` (or a bare rule body) and optional `EXDATE` lines
 * (`EXDATE;TZID=Europe/Berlin:20260310T100000`, `EXDATE:20260310T090000Z`, comma-separated values).
 * `timeZone` is the event zone, used for EXDATE values that carry neither TZID nor "Z".
 * Throws RecurrenceError naming the problem. RDATE and EXRULE are not supported.
 */
export function parseRecurrence(text: string, options: { timeZone?: string } = {}): ParsedRecurrence {
  if (options.timeZone !== undefined && !isValidTimeZone(options.timeZone)) {
    throw new RecurrenceError(`unknown time zone "${options.timeZone}"`, 'timeZone');
  }
  const rules: string[] = [];
  const exdates = new Set<string>();
  for (const line of contentLines(text)) {
    const upper = line.toUpperCase();
    if (upper.startsWith('RRULE:')) rules.push(line.slice('RRULE:'.length));
    else if (/^EXDATE[;:]/.test(upper)) parseExdateLine(line, options.timeZone).forEach((exdate) => exdates.add(exdate));
    else if (/^(RDATE|EXRULE|DTSTART|DTEND)[;:]/.test(upper)) {
      throw new RecurrenceError(`${upper.split(/[;:]/)[0]} is not supported in a recurrence`);
    } else if (!line.includes(':')) rules.push(line);
    else throw new RecurrenceError(`unknown recurrence line "${line}"`);
  }
  if (rules.length === 0) throw new RecurrenceError('the recurrence needs an RRULE');
  if (rules.length > 1) throw new RecurrenceError('only one RRULE is allowed');
  const parts = readRuleParts(rules[0]);
  checkRuleCost(parts);
  return { rrule: serializeRuleParts(parts), exdates: [...exdates] };
}

/**
 * What a rule may cost, checked on input only (rules stored before these limits still expand, within the work
 * budget): BYSECOND is refused, at most MAX_OCCURRENCES_PER_DAY a day (BYHOUR values times BYMINUTE values: every
 * day the rule picks gets each of those times), COUNT at most MAX_RULE_COUNT.
 */
function checkRuleCost(parts: RuleParts): void {
  if (parts.has('BYSECOND')) throw new RecurrenceError('BYSECOND is not supported');
  const values = (name: string) => new Set(parts.get(name)?.split(',') ?? ['*']).size;
  const perDay = values('BYHOUR') * values('BYMINUTE');
  if (perDay > MAX_OCCURRENCES_PER_DAY) {
    throw new RecurrenceError(`the rule yields up to ${perDay} occurrences a day (BYHOUR values times BYMINUTE values); at most ${MAX_OCCURRENCES_PER_DAY} are allowed`);
  }
  const count = parts.get('COUNT');
  if (count !== undefined && Number(count) > MAX_RULE_COUNT) throw new RecurrenceError(`COUNT must be at most ${MAX_RULE_COUNT}`);
}

/** Non-empty lines, with RFC 5545 folding (a line break followed by a space or tab) undone. */
function contentLines(text: string): string[] {
  return text
    .replace(/\r?\n[ \t]/g, '')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
}

function parseExdateLine(line: string, eventZone: string | undefined): string[] {
  const colon = line.indexOf(':');
  if (colon < 0) throw new RecurrenceError(`EXDATE line "${line}" has no value`);
  let zone = eventZone;
  let valueType = 'DATE-TIME';
  for (const parameter of line.slice(0, colon).split(';').slice(1)) {
    const [name, rawValue = ''] = parameter.split('=');
    const value = rawValue.replace(/^"|"$/g, '');
    if (name.toUpperCase() === 'TZID') {
      if (!isValidTimeZone(value)) throw new RecurrenceError(`EXDATE has an unknown TZID "${value}"`);
      zone = value;
    } else if (name.toUpperCase() === 'VALUE') {
      valueType = value.toUpperCase();
      if (valueType !== 'DATE' && valueType !== 'DATE-TIME') throw new RecurrenceError(`EXDATE has an unknown VALUE "${value}"`);
    }
    // Other parameters (X-names) carry nothing we need; RFC 5545 says to ignore what is not understood.
  }
  return line
    .slice(colon + 1)
    .split(',')
    .map((value) => exdateInstant(value.trim(), zone, valueType));
}

function exdateInstant(value: string, zone: string | undefined, valueType: string): string {
  const match = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})(Z?))?$/.exec(value);
  if (!match) throw new RecurrenceError(`EXDATE value "${value}" is not YYYYMMDD or YYYYMMDDTHHMMSS[Z]`);
  const [, year, month, day, hour, minute, second, utc] = match;
  if (valueType === 'DATE' && hour !== undefined) throw new RecurrenceError(`EXDATE value "${value}" must be a date (VALUE=DATE)`);
  const valueZone = utc ? 'utc' : zone;
  if (valueZone === undefined) {
    throw new RecurrenceError(`EXDATE value "${value}" has no time zone: add TZID, a trailing Z, or give the event time zone`);
  }
  const fields = { year: +year, month: +month, day: +day, hour: +(hour ?? 0), minute: +(minute ?? 0), second: +(second ?? 0) };
  const instant = DateTime.fromObject(fields, { zone: valueZone });
  if (!instant.isValid || instant.day !== fields.day) throw new RecurrenceError(`EXDATE value "${value}" is not a valid date`);
  return instant.toUTC().toISO({ suppressMilliseconds: true }) as string;
}

type RuleParts = Map<string, string>;

const KNOWN_FREQUENCIES = ['YEARLY', 'MONTHLY', 'WEEKLY', 'DAILY', 'HOURLY', 'MINUTELY', 'SECONDLY'];
// Sub-daily rules are not offered by calendar UIs and would make open-ended expansion iterate millions of times.
const SUPPORTED_FREQUENCIES = ['YEARLY', 'MONTHLY', 'WEEKLY', 'DAILY'];

// Numeric list parts: allowed magnitude and whether a sign (counting from the end) is allowed.
const NUMBER_LIST_PARTS: Record<string, { min: number; max: number; signed: boolean }> = {
  BYSECOND: { min: 0, max: 59, signed: false },
  BYMINUTE: { min: 0, max: 59, signed: false },
  BYHOUR: { min: 0, max: 23, signed: false },
  BYMONTHDAY: { min: 1, max: 31, signed: true },
  BYYEARDAY: { min: 1, max: 366, signed: true },
  BYWEEKNO: { min: 1, max: 53, signed: true },
  BYMONTH: { min: 1, max: 12, signed: false },
  BYSETPOS: { min: 1, max: 366, signed: true },
};

/** Splits and validates a rule body (rrule's own parser accepts garbage such as FREQ=FOO silently). */
function readRuleParts(body: string): RuleParts {
  const trimmed = body.trim().replace(/^RRULE:/i, '').replace(/;$/, '');
  if (trimmed.length === 0) throw new RecurrenceError('the RRULE is empty');
  const parts: RuleParts = new Map();
  for (const part of trimmed.split(';')) {
    const equals = part.indexOf('=');
    if (equals <= 0) throw new RecurrenceError(`"${part}" is not a NAME=VALUE rule part`);
    const name = part.slice(0, equals).trim().toUpperCase();
    const value = part.slice(equals + 1).trim().toUpperCase();
    if (value.length === 0) throw new RecurrenceError(`${name} has no value`);
    if (parts.has(name)) throw new RecurrenceError(`${name} appears more than once`);
    parts.set(name, value);
  }
  checkRuleParts(parts);
  return parts;
}

function checkRuleParts(parts: RuleParts): void {
  const frequency = parts.get('FREQ');
  if (frequency === undefined) throw new RecurrenceError('FREQ is required');
  if (!KNOWN_FREQUENCIES.includes(frequency)) throw new RecurrenceError(`unknown FREQ "${frequency}"`);
  if (!SUPPORTED_FREQUENCIES.includes(frequency)) throw new RecurrenceError(`FREQ=${frequency} is not supported (use DAILY, WEEKLY, MONTHLY or YEARLY)`);
  for (const [name, value] of parts) checkRulePart(name, value, frequency);
  if (parts.has('COUNT') && parts.has('UNTIL')) throw new RecurrenceError('COUNT and UNTIL cannot be used together');
  if (parts.has('BYWEEKNO') && frequency !== 'YEARLY') throw new RecurrenceError('BYWEEKNO is only allowed with FREQ=YEARLY');
  if (parts.has('BYYEARDAY') && frequency !== 'YEARLY') throw new RecurrenceError('BYYEARDAY is only allowed with FREQ=YEARLY');
  if (parts.has('BYMONTHDAY') && frequency === 'WEEKLY') throw new RecurrenceError('BYMONTHDAY is not allowed with FREQ=WEEKLY');
  if (parts.has('BYSETPOS') && ![...parts.keys()].some((name) => name.startsWith('BY') && name !== 'BYSETPOS')) {
    throw new RecurrenceError('BYSETPOS needs another BY... rule part to select from');
  }
  checkWithRrule(parts);
}

function checkRulePart(name: string, value: string, frequency: string): void {
  if (name === 'FREQ') return;
  if (name === 'INTERVAL' || name === 'COUNT') {
    if (!/^\d{1,9}$/.test(value) || Number(value) === 0) throw new RecurrenceError(`${name} must be a positive integer`);
  } else if (name === 'UNTIL') {
    if (parseRuleUntil(value) === null) throw new RecurrenceError(`UNTIL "${value}" is not YYYYMMDD or YYYYMMDDTHHMMSS[Z]`);
  } else if (name === 'WKST') {
    if (!(WEEKDAY_CODES as readonly string[]).includes(value)) throw new RecurrenceError(`WKST "${value}" is not a weekday`);
  } else if (name === 'BYDAY') {
    value.split(',').forEach((day) => checkByDay(day, frequency));
  } else if (name in NUMBER_LIST_PARTS) {
    value.split(',').forEach((item) => checkListNumber(name, item));
  } else {
    throw new RecurrenceError(`unknown rule part ${name}`);
  }
}

function checkByDay(day: string, frequency: string): void {
  const match = /^([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)$/.exec(day);
  if (!match) throw new RecurrenceError(`BYDAY "${day}" is not a weekday such as MO, 2TU or -1FR`);
  if (match[1] === undefined) return;
  const ordinal = Math.abs(Number(match[1]));
  // RFC 5545: an ordinal only makes sense within a month or a year.
  if (frequency !== 'MONTHLY' && frequency !== 'YEARLY') throw new RecurrenceError(`BYDAY "${day}" has an ordinal, which needs FREQ=MONTHLY or YEARLY`);
  const limit = frequency === 'MONTHLY' ? 5 : 53;
  if (ordinal === 0 || ordinal > limit) throw new RecurrenceError(`BYDAY "${day}" ordinal must be 1 to ${limit} or -1 to -${limit}`);
}

function checkListNumber(name: string, item: string): void {
  const { min, max, signed } = NUMBER_LIST_PARTS[name];
  const pattern = signed ? /^[+-]?\d{1,3}$/ : /^\d{1,3}$/;
  const magnitude = Math.abs(Number(item));
  if (!pattern.test(item) || magnitude < min || magnitude > max) {
    throw new RecurrenceError(`${name} "${item}" must be ${signed ? '±' : ''}${min} to ${max}`);
  }
}

// A last line of defence: whatever passed our checks must also be something rrule can build.
function checkWithRrule(parts: RuleParts): void {
  try {
    const options = RRule.parseString(serializeRuleParts(parts));
    new RRule({ ...options, dtstart: new Date(0) }, true);
  } catch (error) {
    throw new RecurrenceError(`the RRULE cannot be used: ${(error as Error).message}`);
  }
}

function serializeRuleParts(parts: RuleParts): string {
  return [...parts].map(([name, value]) => `${name}=${value}`).join(';');
}

type WallClock = { year: number; month: number; day: number; hour: number; minute: number; second: number };

/** UNTIL's fields, whether it is a UTC instant ("Z"), a floating date-time or a date; null when malformed. */
function parseRuleUntil(value: string): { wallClock: WallClock; kind: 'utc' | 'floating' | 'date' } | null {
  const match = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})(Z?))?$/.exec(value);
  if (!match) return null;
  const [, year, month, day, hour, minute, second, utc] = match;
  const wallClock = { year: +year, month: +month, day: +day, hour: +(hour ?? 0), minute: +(minute ?? 0), second: +(second ?? 0) };
  if (!DateTime.fromObject(wallClock, { zone: 'utc' }).isValid) return null;
  const kind = hour === undefined ? 'date' : utc ? 'utc' : 'floating';
  return { wallClock, kind };
}

// ---------------------------------------------------------------------------------------------------
// Expansion
//
// Work is bounded by construction. A rule is expanded from the period (day, week, month or year, times INTERVAL)
// that holds the range, not from the series' first start: the rule's implicit parts (time of day, weekday, day of
// month, month) are written out from the first start, so an RRule whose DTSTART is moved to a later period start,
// a whole number of INTERVALs after the first period, yields the same dates from there on. The walk goes window
// by window (about 400 periods each), and one expansion walks at most EXPANSION_BUDGET windows and rule dates;
// past that it stops, reports it (onExpansionBudgetExceeded) and returns what it found. A COUNT rule needs its
// last date, which is found once by walking from the first start (within the same budget) and remembered.

/** The most work one walk over a rule may do: windows of about 400 periods, and rule dates visited. */
export const EXPANSION_BUDGET = { windows: 25, dates: 20_000 } as const;
const WINDOW_PERIODS = 400;
const LAST_RULE_YEAR = 9999;

export { onExpansionBudgetExceeded, type ExpansionBudgetReport } from './expansion-budget';

type Unit = 'day' | 'week' | 'month' | 'year';

type RulePlan = {
  /** The rule's options with every part rrule would take from DTSTART written out; no DTSTART, COUNT or UNTIL. */
  options: Partial<Options>;
  unit: Unit;
  interval: number;
  /** Week start, 0 = Monday (rrule's numbering). */
  weekStart: number;
  /** The first start as a floating date. */
  first: Date;
  /** Last rule date allowed (floating, inclusive): UNTIL, or for a COUNT rule its COUNT-th date. */
  until: Date | null;
  count: number | null;
  /** What a budget report says, and the key of the COUNT cache. */
  source: { rrule: string; start: string; timeZone: string };
};

type CompiledSeries<O extends SeriesOverride> = {
  zone: string;
  durationMs: number;
  /** The first start as a wall clock in the event zone. */
  first: DateTime;
  rule: RulePlan | null;
  /** Second-precision keys of excluded and cancelled starts. */
  removed: Set<number>;
  overridden: Set<number>;
  overrides: Array<Occurrence<O> & { override: O }>;
};

type Budget = { windows: number; dates: number; exceeded: boolean };
const freshBudget = (): Budget => ({ windows: 0, dates: 0, exceeded: false });

/**
 * Every occurrence of `series` that intersects `range` (an occurrence that began before the range but
 * still runs is included; a zero-length one counts when its start lies in the range), sorted by start.
 * Expansion follows the event zone's wall clock whatever the process TZ: a weekly 10:00 Europe/Berlin
 * meeting stays at 10:00 local across DST; a wall-clock time in a spring-forward gap moves forward as
 * luxon does. Excluded and cancelled starts are dropped, overrides replace (and may move) their
 * occurrence. Only the rule's dates around the range are collected, and at most MAX_OCCURRENCES_PER_CALL.
 * The cost depends on the range, not on how long ago the series began (see the section comment).
 * Overrides are trusted to name real occurrences (see isOccurrenceStart to check one beforehand).
 */
export function expandOccurrences<O extends SeriesOverride>(series: Series<O>, range: Interval): Occurrence<O>[] {
  if (range.end <= range.start) return [];
  const compiled = compileSeries(series);
  const found: Occurrence<O>[] = [];
  forEachRuleStartNear(compiled, range, (start) => {
    const key = secondKey(start);
    if (compiled.removed.has(key) || compiled.overridden.has(key)) return true;
    const occurrence = { originalStart: start, start, end: start + compiled.durationMs };
    if (touchesRange(occurrence, range)) found.push(occurrence);
    return found.length < MAX_OCCURRENCES_PER_CALL;
  });
  for (const moved of compiled.overrides) {
    if (!compiled.removed.has(secondKey(moved.originalStart)) && touchesRange(moved, range)) found.push(moved);
  }
  found.sort((a, b) => a.start - b.start || a.originalStart - b.originalStart);
  return found.slice(0, MAX_OCCURRENCES_PER_CALL);
}

/**
 * The end of the series' last occurrence (overrides, exclusions and cancellations considered), or null
 * when the rule has neither COUNT nor UNTIL, or when its COUNT-th date lies beyond the work budget.
 * A series with no occurrence left ends at start + duration. Only the last window before the rule's
 * end is walked; when every date in it is excluded, the end of the rule's last date is given (an upper bound).
 */
export function seriesEnd(series: Series): number | null {
  const compiled = compileSeries(series);
  let lastEnd: number | null = null;
  const later = (end: number) => (lastEnd = Math.max(lastEnd ?? -Infinity, end));
  const plan = compiled.rule;
  if (plan === null) {
    if (!compiled.removed.has(secondKey(compiled.first.toMillis()))) later(compiled.first.toMillis() + compiled.durationMs);
  } else {
    if (plan.count === null && plan.until === null) return null;
    if (plan.count !== null && !countEnd(plan).complete) return null;
    const last = plan.until;
    if (last !== null && last.getTime() >= plan.first.getTime()) {
      const from = Math.max(plan.first.getTime(), addPeriods(plan, periodStartAtOrBefore(plan, last.getTime()), -WINDOW_PERIODS));
      const millisecond = compiled.first.millisecond;
      walkRuleDates(plan, from, last.getTime(), freshBudget(), 'seriesEnd', (date) => {
        const start = fromFloating(date, compiled) + millisecond;
        const key = secondKey(start);
        if (!compiled.removed.has(key) && !compiled.overridden.has(key)) later(start + compiled.durationMs);
        return true;
      });
      // Every date of the last window excluded: earlier ones may remain; the last rule date bounds them all.
      if (lastEnd === null && from > plan.first.getTime()) later(fromFloating(last, compiled) + millisecond + compiled.durationMs);
    }
  }
  for (const moved of compiled.overrides) {
    if (!compiled.removed.has(secondKey(moved.originalStart))) later(moved.end);
  }
  return lastEnd ?? compiled.first.toMillis() + compiled.durationMs;
}

/** True when `instant` is the original start of an occurrence of the series that is not excluded or cancelled. */
export function isOccurrenceStart(series: Series, instant: number): boolean {
  const probe = { start: instant, end: instant + 1 };
  return expandOccurrences({ ...series, overrides: [] }, probe).some(
    (occurrence) => secondKey(occurrence.originalStart) === secondKey(instant),
  );
}

/**
 * Throws RecurrenceError (naming `recurrence.rrule`) when a COUNT rule's dates are too sparse to count within the
 * work budget from the series' first start: such a rule could only be expanded in part. Meant for new input.
 */
export function assertCountable(series: Series): void {
  const plan = compileSeries(series).rule;
  if (plan?.count != null && !countEnd(plan).complete) {
    throw new RecurrenceError(`COUNT=${plan.count} takes too long to reach for this rule; use UNTIL instead`);
  }
}

function compileSeries<O extends SeriesOverride>(series: Series<O>): CompiledSeries<O> {
  if (!isValidTimeZone(series.timeZone)) throw new RangeError(`Unknown time zone: ${series.timeZone}`);
  if (!(Number.isFinite(series.durationMs) && series.durationMs >= 0)) throw new RangeError('durationMs must be >= 0');
  const zone = series.timeZone;
  const first = DateTime.fromISO(series.start, { setZone: true }).setZone(zone);
  if (!first.isValid) throw new RangeError(`Series start is not an ISO date-time: ${series.start}`);
  const overrides = (series.overrides ?? []).map((override) => ({
    originalStart: instantOf(override.originalStart, zone),
    start: instantOf(override.start, zone),
    end: instantOf(override.end, zone),
    override,
  }));
  return {
    zone,
    durationMs: series.durationMs,
    first,
    rule: series.rrule ? planRule(series.rrule, first, zone) : null,
    removed: new Set([...(series.exdates ?? []), ...(series.cancelled ?? [])].map((text) => secondKey(instantOf(text, zone)))),
    overridden: new Set(overrides.map((moved) => secondKey(moved.originalStart))),
    overrides,
  };
}

const RRULE_WEEKDAYS = [RRule.MO, RRule.TU, RRule.WE, RRule.TH, RRule.FR, RRule.SA, RRule.SU];
const UNITS: Record<number, Unit> = { [RRule.DAILY]: 'day', [RRule.WEEKLY]: 'week', [RRule.MONTHLY]: 'month', [RRule.YEARLY]: 'year' };

/**
 * The rule over "floating" dates: the event's wall-clock time sits in the UTC fields of each Date and no
 * tzid is set, so rrule does calendar arithmetic only and never consults the process TZ. What rrule would
 * take from DTSTART (rrule's parseoptions: time of day always; WEEKLY the weekday, MONTHLY the day, YEARLY
 * month and day, unless a BYxxx day part is given) is written out, so that DTSTART may move.
 */
function planRule(body: string, first: DateTime, zone: string): RulePlan {
  const parts = readRuleParts(body);
  const until = parts.get('UNTIL');
  const count = parts.get('COUNT');
  parts.delete('UNTIL');
  parts.delete('COUNT');
  const options: Partial<Options> = RRule.parseString(serializeRuleParts(parts));
  const unit = UNITS[options.freq as number];
  // Sub-daily frequencies are refused on input; one stored before that (or written behind the API) is read as daily
  // would be wrong, so it is refused here too and the callers treat the series as unreadable.
  if (unit === undefined) throw new RecurrenceError(`FREQ in "${body}" cannot be expanded`);
  // rrule gives a day's times (and counts them for COUNT) in the order the rule lists them; RFC 5545 counts them
  // in time order, so the lists are sorted (BYMINUTE=15,0 with COUNT=1 is the :00 occurrence).
  options.byhour = ascending(options.byhour) ?? [first.hour];
  options.byminute = ascending(options.byminute) ?? [first.minute];
  options.bysecond = ascending(options.bysecond) ?? [first.second];
  const hasDayPart = [options.byweekno, options.byyearday, options.bymonthday, options.byweekday].some((part) => part != null);
  if (!hasDayPart) {
    if (unit === 'year') {
      options.bymonth ??= first.month;
      options.bymonthday = first.day;
    } else if (unit === 'month') options.bymonthday = first.day;
    else if (unit === 'week') options.byweekday = [RRULE_WEEKDAYS[first.weekday - 1]];
  }
  const wkst = options.wkst;
  const plan: RulePlan = {
    options,
    unit,
    interval: options.interval ?? 1,
    weekStart: typeof wkst === 'number' ? wkst : (wkst?.weekday ?? 0),
    first: toFloating(first),
    until: until ? floatingUntil(until, zone) : null,
    count: count ? Number(count) : null,
    source: { rrule: body, start: first.toISO() as string, timeZone: zone },
  };
  if (plan.count !== null) {
    const counted = countEnd(plan);
    plan.until = counted.last ?? new Date(plan.first.getTime() - 1000);
  }
  return plan;
}

function ascending(list: number | number[] | null | undefined): number[] | undefined {
  if (list === null || list === undefined) return undefined;
  return (Array.isArray(list) ? [...list] : [list]).sort((a, b) => a - b);
}

// A COUNT rule's last date, per rule text and first start: found once by a walk from the first start.
const COUNT_END_CACHE_SIZE = 1000;
const countEndCache = new Map<string, { last: Date | null; complete: boolean }>();

function countEnd(plan: RulePlan): { last: Date | null; complete: boolean } {
  const key = `${plan.source.rrule}|${plan.source.start}`;
  const cached = countEndCache.get(key);
  if (cached) return cached;
  let seen = 0;
  let last: Date | null = null;
  const budget = freshBudget();
  const finished = walkRuleDates({ ...plan, until: null }, plan.first.getTime(), Date.UTC(LAST_RULE_YEAR, 11, 31, 23, 59, 59), budget, 'count', (date) => {
    seen += 1;
    last = date;
    return seen < plan.count!;
  });
  const result = { last, complete: finished || seen >= plan.count! };
  if (countEndCache.size >= COUNT_END_CACHE_SIZE) countEndCache.delete(countEndCache.keys().next().value as string);
  countEndCache.set(key, result);
  return result;
}

/**
 * Calls `visit` with each rule date in [from, to] (floating epoch ms, both inclusive) in order, until it returns
 * false. True when the walk ended (range, rule or visitor done), false when the budget stopped it (reported).
 */
function walkRuleDates(plan: RulePlan, from: number, to: number, budget: Budget, purpose: string, visit: (date: Date) => boolean): boolean {
  const first = plan.first.getTime();
  const last = Math.min(to, plan.until?.getTime() ?? Infinity, Date.UTC(LAST_RULE_YEAR, 11, 31, 23, 59, 59));
  let periodStart = periodStartAtOrBefore(plan, Math.max(from, first));
  while (periodStart <= last) {
    if (budget.windows >= EXPANSION_BUDGET.windows) return stopWalk(plan, budget, purpose);
    budget.windows += 1;
    // The first period keeps the real first start: dates before it in that period are not the rule's.
    const dtstart = Math.max(periodStart, first);
    const windowEnd = addPeriods(plan, periodStart, WINDOW_PERIODS);
    const upTo = Math.min(last, windowEnd - 1000);
    const after = Math.max(from, dtstart);
    let stopped = false;
    if (after <= upTo) {
      const rule = boundedRule(new RRule({ ...plan.options, dtstart: new Date(dtstart), tzid: null, count: null, until: new Date(upTo) }, true));
      rule.between(new Date(after), new Date(upTo), true, (date) => {
        if (budget.dates >= EXPANSION_BUDGET.dates) {
          budget.exceeded = true;
          return false;
        }
        budget.dates += 1;
        stopped = !visit(date);
        return !stopped;
      });
    }
    if (budget.exceeded) return stopWalk(plan, budget, purpose);
    if (stopped) return true;
    periodStart = windowEnd;
  }
  return true;
}

/**
 * rrule checks UNTIL (and between()'s end) only against dates it finds: a rule with no date left (Feb 30, or
 * every date excluded by its BY parts) walks on, period by period, to year 9999 (millions of days). rrule 2.8's
 * iterator reads `options.interval` once per period (besides once at the start and once per step), and stops when
 * it reads 0: after the window's periods it reads 0, so one window costs at most its own periods.
 */
function boundedRule(rule: RRule): RRule {
  const interval = rule.options.interval;
  let reads = 0;
  const maxReads = 2 * (WINDOW_PERIODS + 2) + 2;
  Object.defineProperty(rule.options, 'interval', { get: () => (++reads > maxReads ? 0 : interval), configurable: true });
  return rule;
}

function stopWalk(plan: RulePlan, budget: Budget, purpose: string): false {
  budget.exceeded = true;
  reportExpansionBudgetExceeded({ ...plan.source, windows: budget.windows, dates: budget.dates, purpose });
  return false;
}

const DAY_IN_MS = 86_400_000;

/**
 * The start (floating ms, 00:00) of the period that holds `at`, counting periods of INTERVAL units from the one
 * that holds the first start: the first start's day, its week (from the week start day), month or year.
 */
function periodStartAtOrBefore(plan: RulePlan, at: number): number {
  const first = plan.first;
  const firstDay = Date.UTC(first.getUTCFullYear(), first.getUTCMonth(), first.getUTCDate());
  const date = new Date(at);
  const n = plan.interval;
  const whole = (index: number) => Math.max(0, index - (((index % n) + n) % n));
  switch (plan.unit) {
    case 'day':
      return firstDay + whole(Math.floor((at - firstDay) / DAY_IN_MS)) * DAY_IN_MS;
    case 'week': {
      const mondayBased = (first.getUTCDay() + 6) % 7;
      const firstWeek = firstDay - ((mondayBased - plan.weekStart + 7) % 7) * DAY_IN_MS;
      return firstWeek + whole(Math.floor((at - firstWeek) / (7 * DAY_IN_MS))) * 7 * DAY_IN_MS;
    }
    case 'month': {
      const months = (date.getUTCFullYear() - first.getUTCFullYear()) * 12 + date.getUTCMonth() - first.getUTCMonth();
      return Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + whole(months), 1);
    }
    case 'year':
      return Date.UTC(first.getUTCFullYear() + whole(date.getUTCFullYear() - first.getUTCFullYear()), 0, 1);
  }
}

/** A period start moved by `periods` periods, rounded up to whole INTERVALs (may be negative). */
function addPeriods(plan: RulePlan, periodStart: number, periods: number): number {
  const steps = Math.sign(periods) * Math.ceil(Math.abs(periods) / plan.interval) * plan.interval;
  const date = new Date(periodStart);
  switch (plan.unit) {
    case 'day':
      return periodStart + steps * DAY_IN_MS;
    case 'week':
      return periodStart + steps * 7 * DAY_IN_MS;
    case 'month':
      return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + steps, 1);
    case 'year':
      return Date.UTC(date.getUTCFullYear() + steps, 0, 1);
  }
}

/** UNTIL as a floating date: a UTC instant becomes its wall clock in the zone; a date includes the whole day. */
function floatingUntil(value: string, zone: string): Date {
  const parsed = parseRuleUntil(value);
  if (parsed === null) throw new RecurrenceError(`UNTIL "${value}" is not YYYYMMDD or YYYYMMDDTHHMMSS[Z]`);
  const { wallClock, kind } = parsed;
  if (kind === 'utc') return toFloating(DateTime.fromObject(wallClock, { zone: 'utc' }).setZone(zone));
  if (kind === 'date') return floatingDate({ ...wallClock, hour: 23, minute: 59, second: 59 });
  return floatingDate(wallClock);
}

/** Calls `visit` with the start (epoch ms) of each rule date that may touch `range`, until it returns false. */
function forEachRuleStartNear(compiled: CompiledSeries<SeriesOverride>, range: Interval, visit: (start: number) => boolean): void {
  const millisecond = compiled.first.millisecond;
  if (compiled.rule === null) {
    visit(compiled.first.toMillis());
    return;
  }
  // Floating time differs from real time by the zone offset (under a day); the margin covers it, and
  // the lookback of durationMs catches occurrences that started before the range and still run.
  const after = range.start - compiled.durationMs - DAY_MS;
  const before = range.end + DAY_MS;
  walkRuleDates(compiled.rule, after, before, freshBudget(), 'expand', (date) => visit(fromFloating(date, compiled) + millisecond));
}

function toFloating(local: DateTime): Date {
  return floatingDate({ year: local.year, month: local.month, day: local.day, hour: local.hour, minute: local.minute, second: local.second });
}

function floatingDate(wallClock: WallClock): Date {
  const { year, month, day, hour, minute, second } = wallClock;
  return new Date(Date.UTC(year, month - 1, day, hour, minute, second));
}

/** Epoch ms of a floating date's wall clock in the event zone (a time in a DST gap moves forward). */
function fromFloating(date: Date, compiled: { zone: string }): number {
  const wallClock = {
    year: date.getUTCFullYear(),
    month: date.getUTCMonth() + 1,
    day: date.getUTCDate(),
    hour: date.getUTCHours(),
    minute: date.getUTCMinutes(),
    second: date.getUTCSeconds(),
  };
  return DateTime.fromObject(wallClock, { zone: compiled.zone }).toMillis();
}

/** Epoch ms of a stored ISO value; one without an offset is read in the event zone. */
function instantOf(text: string, zone: string): number {
  const instant = DateTime.fromISO(text, { zone });
  if (!instant.isValid) throw new RangeError(`Not an ISO date-time: ${text}`);
  return instant.toMillis();
}

// Exclusions and overrides are matched by the second: Google's originalStartTime has no milliseconds.
function secondKey(epochMs: number): number {
  return Math.floor(epochMs / 1000);
}

function touchesRange(occurrence: Interval, range: Interval): boolean {
  if (occurrence.end <= occurrence.start) return occurrence.start >= range.start && occurrence.start < range.end;
  return occurrence.start < range.end && occurrence.end > range.start;
}
