// Walking a rule's dates within a work budget: the rule planned over floating dates, fast-forwarded to the period
// that holds the range, walked window by window, and a COUNT rule's last date found once.
//
// Work is bounded by construction. A rule is expanded from the period (day, week, month or year, times INTERVAL)
// that holds the range, not from the series' first start: the rule's implicit parts (time of day, weekday, day of
// month, month) are written out from the first start, so an RRule whose DTSTART is moved to a later period start,
// a whole number of INTERVALs after the first period, yields the same dates from there on. The walk goes window
// by window (about 400 periods each), and one expansion walks at most EXPANSION_BUDGET windows and rule dates;
// past that it stops, reports it (onExpansionBudgetExceeded) and returns what it found. A COUNT rule needs its
// last date, which is found once by walking from the first start (within the same budget) and remembered.
import type { DateTime } from 'luxon';
import { type Options, RRule } from 'rrule';
import { reportExpansionBudgetExceeded } from '../expansion-budget';
import { floatingUntil, toFloating } from './floating';
import { RecurrenceError } from './model';
import { readRuleParts, serializeRuleParts } from './parse';
import { DAY_MS } from '../../kernel/time-units';

/** The most work one walk over a rule may do: windows of about 400 periods, and rule dates visited. */
export const EXPANSION_BUDGET = { windows: 25, dates: 20_000 } as const;
export const WINDOW_PERIODS = 400;
const LAST_RULE_YEAR = 9999;

type Unit = 'day' | 'week' | 'month' | 'year';

export type RulePlan = {
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

export type Budget = { windows: number; dates: number; exceeded: boolean };
export const freshBudget = (): Budget => ({ windows: 0, dates: 0, exceeded: false });

const RRULE_WEEKDAYS = [RRule.MO, RRule.TU, RRule.WE, RRule.TH, RRule.FR, RRule.SA, RRule.SU];
const UNITS: Record<number, Unit> = { [RRule.DAILY]: 'day', [RRule.WEEKLY]: 'week', [RRule.MONTHLY]: 'month', [RRule.YEARLY]: 'year' };

/**
 * The rule over "floating" dates: the event's wall-clock time sits in the UTC fields of each Date and no
 * tzid is set, so rrule does calendar arithmetic only and never consults the process TZ. What rrule would
 * take from DTSTART (rrule's parseoptions: time of day always; WEEKLY the weekday, MONTHLY the day, YEARLY
 * month and day, unless a BYxxx day part is given) is written out, so that DTSTART may move.
 */
export function planRule(body: string, first: DateTime, zone: string): RulePlan {
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

export function countEnd(plan: RulePlan): { last: Date | null; complete: boolean } {
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
export function walkRuleDates(plan: RulePlan, from: number, to: number, budget: Budget, purpose: string, visit: (date: Date) => boolean): boolean {
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

/**
 * The start (floating ms, 00:00) of the period that holds `at`, counting periods of INTERVAL units from the one
 * that holds the first start: the first start's day, its week (from the week start day), month or year.
 */
export function periodStartAtOrBefore(plan: RulePlan, at: number): number {
  const first = plan.first;
  const firstDay = Date.UTC(first.getUTCFullYear(), first.getUTCMonth(), first.getUTCDate());
  const date = new Date(at);
  const n = plan.interval;
  const whole = (index: number) => Math.max(0, index - (((index % n) + n) % n));
  switch (plan.unit) {
    case 'day':
      return firstDay + whole(Math.floor((at - firstDay) / DAY_MS)) * DAY_MS;
    case 'week': {
      const mondayBased = (first.getUTCDay() + 6) % 7;
      const firstWeek = firstDay - ((mondayBased - plan.weekStart + 7) % 7) * DAY_MS;
      return firstWeek + whole(Math.floor((at - firstWeek) / (7 * DAY_MS))) * 7 * DAY_MS;
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
export function addPeriods(plan: RulePlan, periodStart: number, periods: number): number {
  const steps = Math.sign(periods) * Math.ceil(Math.abs(periods) / plan.interval) * plan.interval;
  const date = new Date(periodStart);
  switch (plan.unit) {
    case 'day':
      return periodStart + steps * DAY_MS;
    case 'week':
      return periodStart + steps * 7 * DAY_MS;
    case 'month':
      return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + steps, 1);
    case 'year':
      return Date.UTC(date.getUTCFullYear() + steps, 0, 1);
  }
}
