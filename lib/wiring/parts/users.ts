// Users wired: accounts, credentials, password hashing and session tokens.
import { passwordHasher } from '../../auth/passwords';
import { tokenIssuer } from '../../auth/tokens';
import { systemClock } from '../../kernel/clock';
import { credentialStore, userStore } from '../../store/user-store';
import type { UserDeps } from '../../users/use-cases';

export function userDeps(): UserDeps {
  return { users: userStore, credentials: credentialStore, passwords: passwordHasher, tokens: tokenIssuer, clock: systemClock };
}
