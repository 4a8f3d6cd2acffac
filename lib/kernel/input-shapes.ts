// zod shapes shared by several features: instants, time zones, durations, ranges and pagination.
import * as z from 'zod';
import { parseDuration } from './duration';
import { isIsoDateTimeWithOffset, isValidTimeZone } from './time-zone';

export const isoDateTime = z
  .string()
  .refine(isIsoDateTimeWithOffset, 'Use an ISO 8601 date-time with an offset, e.g. 2026-03-02T09:00:00+01:00')
  .meta({ format: 'date-time', example: '2026-03-02T09:00:00+01:00' });

export const timeZoneSchema = z
  .string()
  .refine((zone) => isValidTimeZone(zone), 'Not a known IANA time zone (e.g. Europe/Berlin)')
  .meta({ description: 'IANA time zone name', example: 'Europe/Berlin' });

/** `duration` in a query string: ISO 8601 (PT1H30M) or short (90m, 1h30m); becomes minutes. */
export const durationQuery = z
  .string()
  .transform((text, ctx) => {
    const minutes = parseDuration(text);
    if (minutes === null) {
      ctx.addIssue({ code: 'custom', message: 'Use a positive duration like PT1H30M, 90m or 1h30m' });
      return z.NEVER;
    }
    return minutes;
  })
  .meta({ example: '1h30m' });

export const limitQuery = z.coerce.number().int().min(1).max(500).default(100);
export const cursorQuery = z.string().max(2000).optional();

/** `from`/`to` query pair: both instants with offset, `to` after `from`, at most `maxDays` apart. */
export function rangeQuery(maxDays: number) {
  return z
    .object({ from: isoDateTime, to: isoDateTime, limit: limitQuery, cursor: cursorQuery })
    .superRefine((value, ctx) => {
      const from = Date.parse(value.from);
      const to = Date.parse(value.to);
      if (to <= from) ctx.addIssue({ code: 'custom', path: ['to'], message: 'Must be after from' });
      else if (to - from > maxDays * 86_400_000) ctx.addIssue({ code: 'custom', path: ['to'], message: `The range may span at most ${maxDays} days` });
    });
}
