// The production wiring of the user use cases' ports.
import { passwordHasher } from '../auth/passwords';
import { tokenIssuer } from '../auth/tokens';
import { lazyCalendarApi, lazyCipher } from '../google/clients';
import { connectionStore } from '../store/connection-store';
import { userStore } from '../store/user-store';
import { destinationCheck } from '../write-back/destination';
import { systemClock } from './ports';
import type { UserDeps } from './use-cases';

export const userDeps: UserDeps = {
  users: userStore,
  passwords: passwordHasher,
  tokens: tokenIssuer,
  clock: systemClock,
  destinations: destinationCheck({ connections: connectionStore, cipher: lazyCipher, google: lazyCalendarApi, clock: systemClock }),
};
