// The production wiring of the user use cases' ports. Sign-up and sign-in need no Google client, so the
// destination check (PATCH /users/me) is wired apart, in profile-deps.ts: the auth function stays small.
import { passwordHasher } from '../auth/passwords';
import { tokenIssuer } from '../auth/tokens';
import { credentialStore, userStore } from '../store/user-store';
import { systemClock } from './ports';
import type { UserDeps } from './use-cases';

export const userDeps: UserDeps = {
  users: userStore,
  credentials: credentialStore,
  passwords: passwordHasher,
  tokens: tokenIssuer,
  clock: systemClock,
};
