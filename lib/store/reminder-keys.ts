// Keys of the reminder job's items: the schedule (one partition per UTC fire minute), the delivery keys, and the
// job's own partition with its cursor and pending reschedules.
import type { ScheduledReminder } from '../reminders/ports';

/** Schedule entries and delivery keys outlive their fire time by this much (TTL), long past any re-run. */
export const REMINDER_RETENTION_DAYS = 14;

export const iso = (epochMs: number) => new Date(epochMs).toISOString();
/** `2030-01-14T09:50`: the UTC minute, sortable as text. */
export const minuteText = (epochMs: number) => iso(epochMs).slice(0, 16);
const reminderId = (r: Pick<ScheduledReminder, 'eventId' | 'occurrenceStart' | 'minutes' | 'userId'>) =>
  `${r.eventId}#${iso(r.occurrenceStart)}#${r.minutes}#${r.userId}`;

export const reminderKeys = {
  minutePk: (minute: number) => `REMINDERS#${minuteText(minute)}`,
  entrySk: reminderId,
  deliveryPk: (reminder: Pick<ScheduledReminder, 'eventId' | 'occurrenceStart' | 'minutes' | 'userId'>) => `NOTIFY#${reminderId(reminder)}`,
  deliverySk: () => 'DELIVERY',
  cursorPk: (jobName: string) => `JOB#${jobName}`,
  cursorSk: () => 'CURSOR',
  /** Pending reschedules share the job's partition: JOB#<name> / PENDING#EVENT#<eventId> or PENDING#USER#<userId>. */
  pendingSk: (item: { kind: 'meeting'; eventId: string } | { kind: 'user'; userId: string }) =>
    item.kind === 'meeting' ? `PENDING#EVENT#${item.eventId}` : `PENDING#USER#${item.userId}`,
  pendingSkPrefix: () => 'PENDING#',
};
