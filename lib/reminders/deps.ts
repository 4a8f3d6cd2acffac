// The production wiring of the reminder job's ports (the scheduler's are in lib/meetings/deps.ts, the notification list's in notification-deps.ts).
import { logger } from '../http/logger';
import { meetingStore } from '../store/meeting-store';
import { reminderStore } from '../store/reminder-store';
import { userStore } from '../store/user-store';
import type { DeliverDueRemindersDeps } from './deliver-due-reminders';

export const REMINDER_JOB_NAME = 'reminders';

export const reminderJobDeps: DeliverDueRemindersDeps = {
  schedule: reminderStore,
  cursor: reminderStore.cursor(REMINDER_JOB_NAME),
  meetings: meetingStore,
  users: userStore,
  log: logger,
};
