// Turning a stored connection into credentials for Google calls, and noting invalid_grant on the connection.
import { NeedsReconsent } from './errors';
import type { Clock, Connection, ConnectionRepo, GoogleCredentials, TokenCipher } from './ports';

export type CredentialDeps = { cipher: TokenCipher; connections: Pick<ConnectionRepo, 'markNeedsReconsent'>; clock: Clock };

/** The decrypted refresh token; NeedsReconsent when Google already refused it. */
export async function credentialsFor(
  deps: Pick<CredentialDeps, 'cipher'>,
  connection: Connection,
  fresh?: { accessToken: string; expiryDate?: number },
): Promise<GoogleCredentials> {
  if (connection.status === 'needs_reconsent') throw new NeedsReconsent();
  return {
    // A new grant bumps the version, so cached clients never use a replaced refresh token.
    cacheKey: `${connection.id}:${connection.version}`,
    refreshToken: await deps.cipher.decrypt(connection.encryptedRefreshToken, connection.id),
    ...(fresh ? { accessToken: fresh.accessToken, expiryDate: fresh.expiryDate } : {}),
  };
}

/** Runs a Google call for the connection; on invalid_grant marks it as needing re-consent before rethrowing. */
export async function callGoogle<T>(
  deps: CredentialDeps,
  connection: Connection,
  call: (credentials: GoogleCredentials) => Promise<T>,
  fresh?: { accessToken: string; expiryDate?: number },
): Promise<T> {
  try {
    return await call(await credentialsFor(deps, connection, fresh));
  } catch (error) {
    if (error instanceof NeedsReconsent && connection.status !== 'needs_reconsent') {
      await deps.connections.markNeedsReconsent(connection.id, 'invalid_grant', deps.clock.now().toISOString());
    }
    throw error;
  }
}
