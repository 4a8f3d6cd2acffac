// What the user use cases need from the outside world.
import type { User } from './user';

export type UserRepo = {
  /** Creates the user and claims the email in one transaction; EmailTaken when it is already claimed. */
  create(user: User): Promise<void>;
  get(userId: string): Promise<User | undefined>;
  getMany(userIds: string[]): Promise<User[]>;
  findByEmail(email: string): Promise<User | undefined>;
  /** Writes the changed fields only if the stored version is still `expectedVersion`. */
  update(userId: string, changes: Partial<Omit<User, 'id' | 'email' | 'passwordHash' | 'sessionGeneration' | 'createdAt' | 'version'>>, expectedVersion: number): Promise<User>;
};

/** A user's password hash and session generation, changed only through these. */
export type CredentialRepo = {
  /** Ends every session of the user (raises the session generation); returns the new generation. */
  endSessions(userId: string): Promise<number>;
  /** Sets a new password hash if the stored one is still `expectedHash`, ending every session; returns the new generation (Conflict otherwise). */
  changePassword(userId: string, passwordHash: string, expectedHash: string): Promise<number>;
  /** The same password hashed at the current cost, if the stored hash is still `expectedHash` (sessions go on). */
  rehashPassword(userId: string, passwordHash: string, expectedHash: string): Promise<void>;
};

/**
 * Moves the reminders of a user's upcoming meetings that use their default minutes after the default changed (lib/reminders
 * implements it). Never throws: what it cannot do at once is kept and finished by the reminder job.
 */
export type DefaultRemindersScheduler = { defaultsChanged(user: Pick<User, 'id' | 'reminderMinutes'>, previousMinutes: number[]): Promise<void> };

/** Checks a destination calendar the user chose (their own connection, a writable calendar); throws InvalidInput. */
export type DestinationCheck = (userId: string, destination: { connectionId: string; calendarId: string }) => Promise<void>;

/** Clears a user's destination calendar if it is on the given connection (that connection is being deleted). */
export type DestinationReset = { clearIfOn(userId: string, connectionId: string, now: string): Promise<boolean> };
