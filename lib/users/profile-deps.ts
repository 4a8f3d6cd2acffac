// The user use cases' ports with the destination check (a chosen destination calendar is checked at Google) and the
// rescheduling of reminders that use a changed default.
import { lazyCalendarApi, lazyCipher } from '../google/clients';
import { defaultRemindersScheduler } from '../reminders/deps';
import { connectionStore } from '../store/connection-store';
import { destinationCheck } from '../write-back/destination';
import { userDeps } from './deps';
import { systemClock } from './ports';
import type { UserDeps } from './use-cases';

export const profileDeps: UserDeps = {
  ...userDeps,
  reminders: defaultRemindersScheduler,
  destinations: destinationCheck({ connections: connectionStore, cipher: lazyCipher, google: lazyCalendarApi, clock: systemClock }),
};
