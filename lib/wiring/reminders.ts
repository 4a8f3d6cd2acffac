// Wiring of the reminders job (every minute: delivers the reminders that fell due).
import { getConfig } from '../config';
import { reminderJobDeps } from './parts/reminders';

getConfig();

export const reminders = reminderJobDeps();
