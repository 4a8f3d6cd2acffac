// The production wiring of the notification list's port; apart from the job's, so its bundle stays small.
import { notificationStore } from '../store/notification-store';
import type { NotificationDeps } from './notifications';

export const notificationDeps: NotificationDeps = { notifications: notificationStore };
