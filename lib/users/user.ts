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
  createdAt: string;
  updatedAt: string;
  version: number;
};

/** What the owner sees of their account: everything but the password hash. */
export function toPrivateProfile(user: User) {
  const { passwordHash: _omitted, version: _version, ...profile } = user;
  return profile;
}

/** What anyone signed in may see of another user. */
export function toPublicProfile(user: User) {
  return { id: user.id, name: user.name, timeZone: user.timeZone, workingHours: user.workingHours };
}
