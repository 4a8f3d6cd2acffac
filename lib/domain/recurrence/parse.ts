// Parsing custom recurrences: RRULE parts validated one by one (rrule's own parser accepts garbage), EXDATE lines
// read into UTC instants, and the cost a rule may have on input.
import { DateTime } from 'luxon';
import { RRule } from 'rrule';
import { isValidTimeZone } from '../../kernel/time-zone';
import { parseRuleUntil } from './floating';
import { MAX_OCCURRENCES_PER_DAY, MAX_RULE_COUNT, type ParsedRecurrence, RecurrenceError, WEEKDAY_CODES } from './model';

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

export type RuleParts = Map<string, string>;

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
export function readRuleParts(body: string): RuleParts {
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

export function serializeRuleParts(parts: RuleParts): string {
  return [...parts].map(([name, value]) => `${name}=${value}`).join(';');
}
