// The production wiring of the reminder job's ports and of the scheduler that the meeting and profile use cases call
// (lib/meetings/deps.ts, lib/users/profile-deps.ts); the notification list's is in notification-deps.ts.
import { logger } from '../http/logger';
import { meetingStore } from '../store/meeting-store';
import { reminderStore } from '../store/reminder-store';
import { userStore } from '../store/user-store';
import { systemClock } from '../users/ports';
import type { DeliverDueRemindersDeps } from './deliver-due-reminders';
import { createDefaultRemindersScheduler, createReminderScheduler } from './schedule-reminders';

export const REMINDER_JOB_NAME = 'reminders';
/** The job's pending reschedules: kept by the schedulers below when they cannot finish, repaired by the job. */
const pending = reminderStore.pending(REMINDER_JOB_NAME);

export const reminderJobDeps: DeliverDueRemindersDeps = {
  schedule: reminderStore,
  cursor: reminderStore.cursor(REMINDER_JOB_NAME),
  pending,
  meetings: meetingStore,
  upcoming: meetingStore,
  users: userStore,
  log: logger,
};

/** For the meeting use cases: never throws, what it cannot write is kept for the job. */
export const reminderScheduler = createReminderScheduler({ schedule: reminderStore, users: userStore, clock: systemClock, pending, log: logger });

/** For PATCH /users/me (reminderMinutes). */
export const defaultRemindersScheduler = createDefaultRemindersScheduler({ schedule: reminderStore, clock: systemClock, pending, upcoming: meetingStore, log: logger });
