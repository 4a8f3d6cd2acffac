// Google OAuth 2.0 through google-auth-library, with every endpoint taken from the configuration so that
// the sandbox (or Google itself) is just a matter of URLs: consent URL with PKCE, code exchange.
import { CodeChallengeMethod, OAuth2Client } from 'google-auth-library';
import { getConfig, type Config } from '../config';
import { OAuthFailed } from '../connections/errors';
import type { GoogleOAuth, GrantedTokens } from '../connections/ports';
import { scopesFor } from '../connections/scopes';
import { secret } from '../secrets';
import { MINUTE_MS } from '../kernel/time-units';

const GOOGLE_ISSUERS = new Set(['https://accounts.google.com', 'accounts.google.com']);

export type GoogleClientConfig = Pick<
  Config,
  'GOOGLE_CLIENT_ID' | 'GOOGLE_CLIENT_SECRET' | 'OAUTH_REDIRECT_URI' | 'GOOGLE_OAUTH_AUTHORIZE_URL' | 'GOOGLE_OAUTH_TOKEN_URL' | 'GOOGLE_API_BASE_URL'
>;

/** The configuration with GOOGLE_CLIENT_SECRET read at cold start (lib/secrets.ts: the environment locally, SSM on AWS). */
export function googleClientConfig(): GoogleClientConfig {
  return { ...getConfig(), GOOGLE_CLIENT_SECRET: secret('GOOGLE_CLIENT_SECRET') };
}

export function requireGoogleClient(config: GoogleClientConfig): { clientId: string; clientSecret: string; redirectUri: string } {
  const missing = (['GOOGLE_CLIENT_ID', 'GOOGLE_CLIENT_SECRET', 'OAUTH_REDIRECT_URI'] as const).filter((name) => !config[name]);
  if (missing.length) throw new Error(`Invalid configuration: ${missing.join(', ')} must be set to talk to Google`);
  return { clientId: config.GOOGLE_CLIENT_ID!, clientSecret: config.GOOGLE_CLIENT_SECRET!, redirectUri: config.OAUTH_REDIRECT_URI! };
}

/** A new OAuth2Client for our client id, pointed at the configured endpoints. */
export function newOAuth2Client(config: GoogleClientConfig): OAuth2Client {
  const { clientId, clientSecret, redirectUri } = requireGoogleClient(config);
  return new OAuth2Client({
    clientId,
    clientSecret,
    redirectUri,
    endpoints: { oauth2AuthBaseUrl: config.GOOGLE_OAUTH_AUTHORIZE_URL, oauth2TokenUrl: config.GOOGLE_OAUTH_TOKEN_URL },
    // Node's own fetch: otherwise gaxios loads node-fetch through a dynamic import.
    transporterOptions: { fetchImplementation: fetch },
    // A 401 means the access token was revoked or lost: refresh once (which reveals invalid_grant), even before its expiry.
    forceRefreshOnFailure: true,
  });
}

/**
 * The claims of an id token received straight from the token endpoint. OpenID Connect Core 3.1.3.7 lets a
 * client rely on the TLS connection to the token endpoint instead of checking the signature in this case;
 * the issuer, audience and expiry are still checked.
 */
function idTokenClaims(idToken: string | null | undefined, clientId: string): { email: string; subject: string } {
  const payload = idToken?.split('.')[1];
  if (!payload) throw new OAuthFailed('Google returned no id token; the openid and email scopes are required');
  let claims: { iss?: string; aud?: string | string[]; exp?: number; email?: string; sub?: string };
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    throw new OAuthFailed('Google returned an unreadable id token');
  }
  const audiences = [claims.aud].flat();
  if (!GOOGLE_ISSUERS.has(claims.iss ?? '') || !audiences.includes(clientId) || !claims.email || !claims.sub) {
    throw new OAuthFailed('The id token was not issued by Google for this client');
  }
  if (typeof claims.exp === 'number' && claims.exp * 1000 < Date.now() - 5 * MINUTE_MS) throw new OAuthFailed('The id token has expired');
  return { email: claims.email.toLowerCase(), subject: claims.sub };
}

export function createGoogleOAuth(config: GoogleClientConfig): GoogleOAuth {
  let client: OAuth2Client | undefined;
  const oauth = () => (client ??= newOAuth2Client(config));
  return {
    async newPkce() {
      const { codeVerifier, codeChallenge } = await oauth().generateCodeVerifierAsync();
      return { codeVerifier, codeChallenge: codeChallenge! };
    },

    authorizeUrl({ state, codeChallenge, loginHint, access }) {
      return oauth().generateAuthUrl({
        access_type: 'offline',
        // Google issues a refresh token again only with prompt=consent; a second consent must replace the stored one.
        prompt: 'consent',
        // Incremental authorization: a consent for write access keeps what was granted before, and the token's
        // scope lists the whole grant.
        include_granted_scopes: true,
        scope: scopesFor(access),
        state,
        code_challenge_method: CodeChallengeMethod.S256,
        code_challenge: codeChallenge,
        ...(loginHint ? { login_hint: loginHint } : {}),
      });
    },

    async exchangeCode({ code, codeVerifier }): Promise<GrantedTokens> {
      let tokens;
      try {
        ({ tokens } = await oauth().getToken({ code, codeVerifier }));
      } catch (error) {
        const reason = (error as { response?: { data?: { error?: string } } }).response?.data?.error;
        // The code is single-use: a failed exchange is not retried, the user starts again.
        throw new OAuthFailed(`Google did not accept the authorization code${reason ? ` (${reason})` : ''}; start again`);
      }
      if (!tokens.access_token) throw new OAuthFailed('Google returned no access token');
      const { email, subject } = idTokenClaims(tokens.id_token, requireGoogleClient(config).clientId);
      return {
        refreshToken: tokens.refresh_token ?? undefined,
        accessToken: tokens.access_token,
        expiryDate: tokens.expiry_date ?? undefined,
        scopes: (tokens.scope ?? '').split(/\s+/).filter(Boolean),
        email,
        subject,
      };
    },
  };
}
