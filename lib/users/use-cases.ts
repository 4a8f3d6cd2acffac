// The user use cases: sign up, log in (and out), change one's password, read and change one's profile, read someone's public profile.
import { newId } from '../kernel/ids';
import { InvalidInput, NotFound, Unauthorized } from '../domain/errors';
import { DEFAULT_WORKING_HOURS } from '../domain/working-hours';
import type { PasswordHasher } from '../auth/passwords';
import type { TokenIssuer } from '../auth/tokens';
import { WrongPassword } from './errors';
import type { CredentialRepo, DefaultRemindersScheduler, DestinationCheck, UserRepo } from './ports';
import type { Clock } from '../kernel/clock';
import type { ChangePasswordInput, LogInInput, SignUpInput, UpdateProfileInput } from './schemas';
import { toPrivateProfile, toPublicProfile, type User } from './user';

export type UserDeps = {
  users: UserRepo;
  credentials: CredentialRepo;
  passwords: PasswordHasher;
  tokens: TokenIssuer;
  clock: Clock;
  destinations?: DestinationCheck;
  /** Reschedules upcoming reminders that use the default minutes when those change (never throws). */
  reminders?: DefaultRemindersScheduler;
};

export const DEFAULT_REMINDER_MINUTES = [10];

export async function signUp(deps: UserDeps, input: SignUpInput): Promise<{ id: string; token: string }> {
  const now = deps.clock.now().toISOString();
  const user: User = {
    id: newId(),
    name: input.name,
    email: input.email.toLowerCase(),
    passwordHash: await deps.passwords.hash(input.password),
    timeZone: input.timeZone ?? 'UTC',
    workingHours: input.workingHours ?? DEFAULT_WORKING_HOURS,
    reminderMinutes: DEFAULT_REMINDER_MINUTES,
    createdAt: now,
    updatedAt: now,
    version: 1,
  };
  await deps.users.create(user);
  return { id: user.id, token: await deps.tokens.issue(user.id, 0) };
}

export async function logIn(deps: UserDeps, input: LogInInput): Promise<{ userId: string; token: string }> {
  const user = await deps.users.findByEmail(input.email);
  const valid = await deps.passwords.verify(input.password, user?.passwordHash);
  if (!user || !valid) throw new Unauthorized('invalid_credentials', 'Email or password is wrong');
  // A hash made at an older (cheaper) cost is replaced now, while the password is at hand.
  if (deps.passwords.needsRehash(user.passwordHash)) await deps.credentials.rehashPassword(user.id, await deps.passwords.hash(input.password), user.passwordHash);
  return { userId: user.id, token: await deps.tokens.issue(user.id, user.sessionGeneration ?? 0) };
}

/** Ends every session of the caller: all of their tokens, on every device, are refused within a minute. */
export async function logOut(deps: Pick<UserDeps, 'credentials'>, userId: string): Promise<void> {
  await deps.credentials.endSessions(userId);
}

/** A new password; every earlier session ends, and the reply's token belongs to the new one. */
export async function changePassword(deps: UserDeps, userId: string, input: ChangePasswordInput): Promise<{ token: string }> {
  const user = await requireUser(deps, userId);
  if (!(await deps.passwords.verify(input.currentPassword, user.passwordHash))) throw new WrongPassword();
  const generation = await deps.credentials.changePassword(userId, await deps.passwords.hash(input.newPassword), user.passwordHash);
  return { token: await deps.tokens.issue(userId, generation) };
}

async function requireUser(deps: Pick<UserDeps, 'users'>, userId: string): Promise<User> {
  const user = await deps.users.get(userId);
  if (!user) throw new NotFound('User');
  return user;
}

export async function getOwnProfile(deps: Pick<UserDeps, 'users'>, userId: string) {
  return toPrivateProfile(await requireUser(deps, userId));
}

export async function getPublicProfile(deps: Pick<UserDeps, 'users'>, userId: string) {
  return toPublicProfile(await requireUser(deps, userId));
}

const sameMinutes = (a: readonly number[], b: readonly number[]) => new Set(a).size === new Set(b).size && a.every((minutes) => b.includes(minutes));

export async function updateOwnProfile(deps: Pick<UserDeps, 'users' | 'clock' | 'destinations' | 'reminders'>, userId: string, changes: UpdateProfileInput) {
  const current = await requireUser(deps, userId);
  if (changes.reminderMinutes && new Set(changes.reminderMinutes).size !== changes.reminderMinutes.length) {
    throw new InvalidInput('Reminder minutes repeat', [{ field: 'reminderMinutes', message: 'Each value may appear once' }]);
  }
  const { destinationCalendar, ...rest } = changes;
  if (destinationCalendar) await deps.destinations?.(userId, destinationCalendar);
  const updated = await deps.users.update(
    userId,
    {
      ...rest,
      // null clears the destination calendar; undefined leaves it as it is.
      destinationCalendar: destinationCalendar as User['destinationCalendar'],
      updatedAt: deps.clock.now().toISOString(),
    },
    current.version,
  );
  // After the profile is saved: the change stands whatever happens to the reminders (pending ones are finished by the job).
  if (!sameMinutes(current.reminderMinutes, updated.reminderMinutes)) await deps.reminders?.defaultsChanged(updated, current.reminderMinutes);
  return toPrivateProfile(updated);
}
