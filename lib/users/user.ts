// The user entity as the use cases see it.
import type { WorkingHours } from '../domain/working-hours';

export type DestinationCalendar = { connectionId: string; calendarId: string };

export type User = {
  id: string;
  name: string;
  email: string;
  passwordHash: string;
  timeZone: string;
  workingHours: WorkingHours;
  reminderMinutes: number[];
  destinationCalendar?: DestinationCalendar;
  /** Raised by a logout or a password change: tokens of an earlier generation are refused (lib/auth/sessions.ts). */
  sessionGeneration?: number;
  createdAt: string;
  updatedAt: string;
  version: number;
};

/** What the owner sees of their account: everything but the password hash. */
export function toPrivateProfile(user: User) {
  const { passwordHash: _omitted, version: _version, sessionGeneration: _generation, ...profile } = user;
  return profile;
}

/** What anyone signed in may see of another user. */
export function toPublicProfile(user: User) {
  return { id: user.id, name: user.name, timeZone: user.timeZone, workingHours: user.workingHours };
}
