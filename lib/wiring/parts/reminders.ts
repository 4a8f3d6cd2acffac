// Reminders wired to their schedule store: the job's ports and the schedulers that meetings and profiles call.
import { logger } from '../../http/logger';
import { systemClock } from '../../kernel/clock';
import type { DeliverDueRemindersDeps } from '../../reminders/deliver-due-reminders';
import type { NotificationDeps } from '../../reminders/notifications';
import type { ReminderScheduler } from '../../meetings/ports';
import { createDefaultRemindersScheduler, createReminderScheduler } from '../../reminders/schedule-reminders';
import { meetingStore } from '../../store/meeting-store';
import { notificationStore } from '../../store/notification-store';
import { reminderStore } from '../../store/reminder-store';
import { userStore } from '../../store/user-store';
import type { DefaultRemindersScheduler } from '../../users/ports';

/** The reminder job's name: its cursor and its pending reschedules are kept under it. */
export const REMINDER_JOB_NAME = 'reminders';

const pending = () => reminderStore.pending(REMINDER_JOB_NAME);

export function reminderJobDeps(): DeliverDueRemindersDeps {
  return {
    schedule: reminderStore,
    cursor: reminderStore.cursor(REMINDER_JOB_NAME),
    pending: pending(),
    meetings: meetingStore,
    upcoming: meetingStore,
    users: userStore,
    log: logger,
  };
}

export function reminderScheduler(): ReminderScheduler {
  return createReminderScheduler({ schedule: reminderStore, users: userStore, clock: systemClock, pending: pending(), log: logger });
}

export function defaultRemindersScheduler(): DefaultRemindersScheduler {
  return createDefaultRemindersScheduler({ schedule: reminderStore, clock: systemClock, pending: pending(), upcoming: meetingStore, log: logger });
}

export function notificationDeps(): NotificationDeps {
  return { notifications: notificationStore };
}
