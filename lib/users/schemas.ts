// Request and reply shapes of the user routes (zod): they validate input and feed /openapi.json.
import * as z from 'zod';
import { timeZoneSchema } from '../kernel/input-shapes';
import { workingHoursProblems, type WorkingHours } from '../domain/working-hours';

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'Use HH:MM (24-hour)');
const dayRanges = z.array(z.strictObject({ start: hhmm, end: hhmm })).max(12);

export const workingHoursSchema = z
  .strictObject({ mon: dayRanges, tue: dayRanges, wed: dayRanges, thu: dayRanges, fri: dayRanges, sat: dayRanges, sun: dayRanges })
  .partial()
  .superRefine((value, ctx) => {
    for (const problem of workingHoursProblems(value as WorkingHours)) {
      const path = problem.path.replace(/^workingHours\.?/, '').split('.').filter(Boolean).map((part) => (/^\d+$/.test(part) ? Number(part) : part));
      ctx.addIssue({ code: 'custom', path, message: problem.message });
    }
  })
  .meta({ description: 'Weekly hours in the user\'s time zone, e.g. {"mon": [{"start": "09:00", "end": "17:00"}]}' });

const email = z.string().trim().max(254).pipe(z.email('Not a valid email address'));
const name = z.string().trim().min(1, 'Required').max(100);
const password = z.string().min(8, 'At least 8 characters').max(200);

export const signUpBody = z.strictObject({
  name,
  email,
  password,
  timeZone: timeZoneSchema.optional(),
  workingHours: workingHoursSchema.optional(),
});

export const logInBody = z.strictObject({ email, password: z.string().min(1, 'Required').max(200) });

export const changePasswordBody = z.strictObject({ currentPassword: z.string().min(1, 'Required').max(200), newPassword: password });

export const destinationCalendarSchema = z.strictObject({ connectionId: z.string().min(1).max(100), calendarId: z.string().min(1).max(1024) });

export const updateProfileBody = z
  .strictObject({
    name: name.optional(),
    timeZone: timeZoneSchema.optional(),
    workingHours: workingHoursSchema.optional(),
    reminderMinutes: z.array(z.number().int().min(0).max(40320)).max(5).optional(),
    destinationCalendar: destinationCalendarSchema.nullable().optional(),
  })
  .refine((body) => Object.keys(body).length > 0, 'Send at least one field to change');

export const userIdParams = z.object({ userId: z.string().min(1).max(64) });

export const tokenReply = z.object({ id: z.string(), token: z.string() });
export const loginReply = z.object({ userId: z.string(), token: z.string() });
export const sessionReply = z.object({ token: z.string() }).meta({ description: 'A token of the new session: every earlier token of the account is refused from now on (within a minute)' });
export const privateProfile = z.object({
  id: z.string(),
  name: z.string(),
  email: z.string(),
  timeZone: z.string(),
  workingHours: z.record(z.string(), z.array(z.object({ start: z.string(), end: z.string() }))),
  reminderMinutes: z.array(z.number()),
  destinationCalendar: destinationCalendarSchema.optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export const publicProfile = privateProfile.pick({ id: true, name: true, timeZone: true, workingHours: true });

export type SignUpInput = z.infer<typeof signUpBody>;
export type LogInInput = z.infer<typeof logInBody>;
export type ChangePasswordInput = z.infer<typeof changePasswordBody>;
export type UpdateProfileInput = z.infer<typeof updateProfileBody>;
