// Google's token endpoint: client authentication, the authorization_code grant (PKCE) and refresh_token grant,
// and the access and RS256 id tokens it issues, with the signing key the certs routes publish.
import { createHash, generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { OAuthError } from './errors';
import { header, json, type SandboxReply, type SandboxRequest } from './http';
import { noStore, parseForm, safeEqual } from './oauth-replies';
import { type Account, type Grant, randomId, type SandboxState } from './store';

/** Google's issuer; OAuth2Client.verifyIdToken only accepts these. */
export const ISSUER = 'https://accounts.google.com';
const ID_TOKEN_TTL_SECONDS = 3600;

export class TokenEndpoint {
  private readonly privateKey: KeyObject;
  readonly publicJwk: Record<string, unknown>;
  readonly publicPem: string;
  readonly keyId = randomId(10);

  constructor(private readonly state: SandboxState) {
    // One RSA key per sandbox: id tokens are RS256 like Google's and verifiable through the certs routes.
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    this.privateKey = privateKey;
    this.publicJwk = { ...(publicKey.export({ format: 'jwk' }) as object), kid: this.keyId, alg: 'RS256', use: 'sig' };
    this.publicPem = publicKey.export({ type: 'spki', format: 'pem' }) as string;
  }

  /** POST /token: authorization_code or refresh_token, with the client's credentials. */
  token(request: SandboxRequest): SandboxReply {
    const form = parseForm(request);
    const { clientId, clientSecret } = this.clientCredentials(request, form);
    if (clientId !== this.state.settings.clientId || clientSecret !== this.state.settings.clientSecret) {
      throw new OAuthError(401, 'invalid_client', 'Unauthorized');
    }
    const grantType = form.get('grant_type');
    if (grantType === 'authorization_code') return this.exchangeCode(form);
    if (grantType === 'refresh_token') return this.refresh(form);
    throw new OAuthError(400, 'unsupported_grant_type', `Invalid grant_type: ${grantType ?? ''}`);
  }

  /** Client authentication by form fields (client_secret_post) or HTTP Basic, as Google accepts both. */
  private clientCredentials(request: SandboxRequest, form: URLSearchParams): { clientId?: string; clientSecret?: string } {
    const basic = header(request, 'authorization')?.match(/^Basic\s+(.+)$/i)?.[1];
    if (basic) {
      const [clientId, clientSecret] = Buffer.from(basic, 'base64').toString('utf8').split(':');
      return { clientId: decodeURIComponent(clientId), clientSecret: decodeURIComponent(clientSecret ?? '') };
    }
    return { clientId: form.get('client_id') ?? undefined, clientSecret: form.get('client_secret') ?? undefined };
  }

  private exchangeCode(form: URLSearchParams): SandboxReply {
    const codeValue = form.get('code');
    if (!codeValue) throw new OAuthError(400, 'invalid_request', 'Missing required parameter: code');
    const code = this.state.codes.get(codeValue);
    if (!code || code.expiresAt <= Date.now()) throw new OAuthError(400, 'invalid_grant', 'Malformed auth code.');
    if (code.used) throw new OAuthError(400, 'invalid_grant', 'Bad Request (the authorization code was already used).');
    code.used = true; // one attempt per code, whatever its outcome
    if (form.get('redirect_uri') !== code.redirectUri) throw new OAuthError(400, 'redirect_uri_mismatch', 'Bad Request');
    const verifier = form.get('code_verifier');
    if (!verifier) throw new OAuthError(400, 'invalid_grant', 'Missing code verifier.');
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    if (!safeEqual(challenge, code.codeChallenge)) throw new OAuthError(400, 'invalid_grant', 'Invalid code verifier.');
    const account = this.state.findAccount(code.email);
    if (!account) throw new OAuthError(400, 'invalid_grant', 'Account not found.');

    // Google issues a refresh token on the first offline consent of a user to a client, and again
    // only with prompt=consent; a later offline consent without it gets none.
    let grant = [...this.state.grants.values()].find((g) => g.email === account.email && g.clientId === code.clientId && !g.revoked);
    const hadRefreshToken = grant?.refreshToken !== undefined;
    if (!grant) {
      grant = { id: randomId(12), email: account.email, clientId: code.clientId, scopes: [], revoked: false };
      this.state.grants.set(grant.id, grant);
    }
    grant.scopes = [...new Set([...grant.scopes, ...code.scopes])];
    let refreshToken: string | undefined;
    if (code.offline && (!hadRefreshToken || code.forceConsent)) {
      refreshToken = `1//${randomId(40)}`;
      grant.refreshToken = refreshToken;
      this.state.refreshTokens.set(refreshToken, grant.id);
    }
    // Incremental authorization: with include_granted_scopes the token (and its `scope`) covers the whole grant.
    const scopes = code.includeGrantedScopes ? grant.scopes : code.scopes;
    return json(200, this.tokenResponse(account, grant, scopes, refreshToken, code.nonce), noStore());
  }

  private refresh(form: URLSearchParams): SandboxReply {
    const refreshToken = form.get('refresh_token');
    if (!refreshToken) throw new OAuthError(400, 'invalid_request', 'Missing required parameter: refresh_token');
    const grant = this.state.grants.get(this.state.refreshTokens.get(refreshToken) ?? '');
    if (!grant || grant.revoked) {
      throw new OAuthError(400, 'invalid_grant', 'Token has been expired or revoked.');
    }
    const account = this.state.findAccount(grant.email);
    if (!account) throw new OAuthError(400, 'invalid_grant', 'Token has been expired or revoked.');
    return json(200, this.tokenResponse(account, grant, grant.scopes, undefined, undefined), noStore());
  }

  private tokenResponse(account: Account, grant: Grant, scopes: string[], refreshToken: string | undefined, nonce: string | undefined): Record<string, unknown> {
    const ttl = this.state.settings.accessTokenTtlSeconds;
    const accessToken = `ya29.${randomId(48)}`;
    this.state.accessTokens.set(accessToken, {
      token: accessToken,
      grantId: grant.id,
      email: account.email,
      clientId: grant.clientId,
      scopes,
      expiresAt: Date.now() + ttl * 1000,
    });
    const body: Record<string, unknown> = {
      access_token: accessToken,
      expires_in: ttl,
      scope: scopes.join(' '),
      token_type: 'Bearer',
      id_token: this.idToken(account, grant.clientId, accessToken, nonce),
    };
    if (refreshToken) body.refresh_token = refreshToken;
    return body;
  }

  /** An RS256 JWT with Google's claims; at_hash binds it to the access token as Google's does. */
  private idToken(account: Account, clientId: string, accessToken: string, nonce: string | undefined): string {
    const now = Math.floor(Date.now() / 1000);
    const digest = createHash('sha256').update(accessToken).digest();
    const claims: Record<string, unknown> = {
      iss: ISSUER,
      azp: clientId,
      aud: clientId,
      sub: account.sub,
      email: account.email,
      email_verified: true,
      at_hash: digest.subarray(0, digest.length / 2).toString('base64url'),
      name: account.name,
      iat: now,
      exp: now + ID_TOKEN_TTL_SECONDS,
    };
    if (nonce) claims.nonce = nonce;
    const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const signingInput = `${encode({ alg: 'RS256', kid: this.keyId, typ: 'JWT' })}.${encode(claims)}`;
    return `${signingInput}.${sign('sha256', Buffer.from(signingInput), this.privateKey).toString('base64url')}`;
  }
}
