// Turning a stored connection into credentials for Google calls, and noting invalid_grant on the connection.
import { newId } from '../kernel/ids';
import { NeedsReconsent } from './errors';
import type { Clock, Connection, ConnectionRepo, GoogleCredentials, TokenCipher } from './ports';

export type CredentialDeps = { cipher: TokenCipher; connections: Pick<ConnectionRepo, 'markNeedsReconsent' | 'ownerContact'>; clock: Clock };

/**
 * Google refused the connection's grant: it is marked, and its owner told once (`google_reconsent_needed`), the mail
 * written with the mark; a connection marked already stays as it is and mails nobody again.
 */
export async function markNeedsReconsent(deps: Pick<CredentialDeps, 'connections' | 'clock'>, connection: Connection, reason: string): Promise<void> {
  const now = deps.clock.now();
  const owner = await deps.connections.ownerContact(connection.userId);
  const mail = owner ? [{ id: newId(), message: { kind: 'google_reconsent_needed' as const, host: owner, googleAccountEmail: connection.email }, createdAt: now.getTime() }] : [];
  await deps.connections.markNeedsReconsent(connection.id, reason, now.toISOString(), mail);
}

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
      await markNeedsReconsent(deps, connection, 'invalid_grant');
    }
    throw error;
  }
}
