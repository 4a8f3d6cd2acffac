// Wiring of the users function (/users): sign-up and its limit, profiles (reminder defaults, destination calendar).
import { getConfig } from '../config';
import { lazyCalendarApi, lazyCipher } from '../google/clients';
import { loadSecrets } from '../load-secrets';
import { systemClock } from '../kernel/clock';
import { connectionStore } from '../store/connection-store';
import type { UserDeps } from '../users/use-cases';
import { destinationCheck } from '../write-back/destination';
import { limitDeps } from './parts/limits';
import { defaultRemindersScheduler } from './parts/reminders';
import { userDeps } from './parts/users';
import { verifyToken } from './parts/bearer';

getConfig();
// GOOGLE_CLIENT_SECRET: choosing a destination calendar checks it with Google.
loadSecrets(['AUTH_SECRET', 'GOOGLE_CLIENT_SECRET']);

export const users = userDeps();
export const limits = limitDeps();
export const profiles: UserDeps = {
  ...users,
  reminders: defaultRemindersScheduler(),
  destinations: destinationCheck({ connections: connectionStore, cipher: lazyCipher, google: lazyCalendarApi, clock: systemClock }),
};
export const verifyBearer = verifyToken;
