// Google's OAuth 2.0 endpoints: the consent page (auto-consent for tests), the token endpoint
// (authorization_code with PKCE, refresh_token), revocation, userinfo, tokeninfo and signing keys.
import { createHash, generateKeyPairSync, KeyObject, sign, timingSafeEqual } from 'node:crypto';
import { apiErrors, OAuthError } from './errors';
import { escapeHtml, header, html, json, Route, SandboxReply, SandboxRequest } from './http';
import { AccessTokenRecord, Account, AuthorizationCode, Grant, randomId, SandboxState } from './store';

/** Google's issuer; OAuth2Client.verifyIdToken only accepts these. */
const ISSUER = 'https://accounts.google.com';
const CODE_TTL_MS = 10 * 60 * 1000;
const ID_TOKEN_TTL_SECONDS = 3600;

export class OAuthService {
  private readonly privateKey: KeyObject;
  private readonly publicJwk: Record<string, unknown>;
  private readonly publicPem: string;
  readonly keyId = randomId(10);

  constructor(private readonly state: SandboxState) {
    // One RSA key per sandbox: id tokens are RS256 like Google's and verifiable through the certs routes.
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    this.privateKey = privateKey;
    this.publicJwk = { ...(publicKey.export({ format: 'jwk' }) as object), kid: this.keyId, alg: 'RS256', use: 'sig' };
    this.publicPem = publicKey.export({ type: 'spki', format: 'pem' }) as string;
  }

  routes(): Route[] {
    return [
      { method: 'GET', pattern: /^\/o\/oauth2\/v2\/auth$/, handler: (request) => this.authorize(request) },
      { method: 'GET', pattern: /^\/o\/oauth2\/auth$/, handler: (request) => this.authorize(request) },
      { method: 'POST', pattern: /^\/token$/, handler: (request) => this.oauthReply(() => this.token(request)) },
      { method: 'POST', pattern: /^\/revoke$/, handler: (request) => this.oauthReply(() => this.revoke(request)) },
      { method: 'GET', pattern: /^\/revoke$/, handler: (request) => this.oauthReply(() => this.revoke(request)) },
      { method: 'GET', pattern: /^\/oauth2\/v3\/userinfo$/, handler: (request) => this.userinfo(request, 'v3') },
      { method: 'POST', pattern: /^\/oauth2\/v3\/userinfo$/, handler: (request) => this.userinfo(request, 'v3') },
      { method: 'GET', pattern: /^\/oauth2\/v2\/userinfo$/, handler: (request) => this.userinfo(request, 'v2') },
      { method: 'GET', pattern: /^\/tokeninfo$/, handler: (request) => this.oauthReply(() => this.tokeninfo(request)) },
      { method: 'POST', pattern: /^\/tokeninfo$/, handler: (request) => this.oauthReply(() => this.tokeninfo(request)) },
      { method: 'GET', pattern: /^\/oauth2\/v3\/certs$/, handler: () => json(200, { keys: [this.publicJwk] }) },
      { method: 'GET', pattern: /^\/oauth2\/v1\/certs$/, handler: () => json(200, { [this.keyId]: this.publicPem }) },
      { method: 'GET', pattern: /^\/\.well-known\/openid-configuration$/, handler: (request) => this.discovery(request) },
    ];
  }

  // ---- bearer tokens, used by the Calendar API routes ----------------------------------------

  /** The access token of an API call, or Google's 401. */
  authenticate(request: SandboxRequest): AccessTokenRecord {
    const authorization = header(request, 'authorization');
    const token = authorization?.match(/^Bearer\s+(.+)$/i)?.[1] ?? request.query.get('access_token') ?? undefined;
    if (!token) throw apiErrors.missingCredentials();
    const record = this.validAccessToken(token);
    if (!record) throw apiErrors.invalidCredentials();
    return record;
  }

  private validAccessToken(token: string): AccessTokenRecord | undefined {
    const record = this.state.accessTokens.get(token);
    if (!record || record.expiresAt <= Date.now()) return undefined;
    const grant = this.state.grants.get(record.grantId);
    if (!grant || grant.revoked || !this.state.accounts.has(record.email)) return undefined;
    return record;
  }

  // ---- consent page ---------------------------------------------------------------------------

  /**
   * Google shows request errors on its own page (it must not redirect to an unverified URI); with an
   * account chosen (login_hint or sandbox_account) the sandbox consents at once and redirects.
   */
  private authorize(request: SandboxRequest): SandboxReply {
    const query = request.query;
    const { clientId } = this.state.settings;
    if (query.get('client_id') !== clientId) {
      return errorPage(401, 'invalid_client', `The OAuth client was not found (client_id must be ${clientId}).`);
    }
    const redirectUri = query.get('redirect_uri') ?? '';
    if (!isHttpUrl(redirectUri)) return errorPage(400, 'redirect_uri_mismatch', 'redirect_uri must be an absolute http(s) URL.');
    if (query.get('response_type') !== 'code') {
      return errorPage(400, 'unsupported_response_type', 'Only response_type=code is supported.');
    }
    const scope = query.get('scope')?.trim();
    if (!scope) return errorPage(400, 'invalid_request', 'Missing required parameter: scope');
    const codeChallenge = query.get('code_challenge') ?? '';
    if (!/^[A-Za-z0-9\-._~]{43,128}$/.test(codeChallenge)) {
      return errorPage(400, 'invalid_request', 'The sandbox requires PKCE: a code_challenge (43-128 base64url characters).');
    }
    if (query.get('code_challenge_method') !== 'S256') {
      return errorPage(400, 'invalid_request', 'The sandbox requires code_challenge_method=S256.');
    }
    const state = query.get('state');
    if (query.get('sandbox_deny')) {
      return redirect(redirectUri, { error: 'access_denied', ...(state !== null ? { state } : {}) });
    }

    const chosen = query.get('sandbox_account');
    const hint = query.get('login_hint');
    const account = chosen ? this.state.findAccount(chosen) : hint ? this.state.findAccount(hint) : undefined;
    if (chosen && !account) return errorPage(400, 'invalid_request', `No sandbox account ${chosen}; seed it through the control API first.`);
    if (!account) return this.chooserPage(request);

    const prompt = (query.get('prompt') ?? '').split(/\s+/);
    const code: AuthorizationCode = {
      code: `4/${randomId(32)}`,
      email: account.email,
      clientId,
      redirectUri,
      scopes: scope.split(/\s+/),
      codeChallenge,
      offline: query.get('access_type') === 'offline',
      forceConsent: prompt.includes('consent'),
      includeGrantedScopes: query.get('include_granted_scopes') === 'true',
      nonce: query.get('nonce') ?? undefined,
      expiresAt: Date.now() + CODE_TTL_MS,
      used: false,
    };
    this.state.codes.set(code.code, code);
    return redirect(redirectUri, {
      ...(state !== null ? { state } : {}),
      code: code.code,
      scope: code.scopes.join(' '),
      authuser: '0',
      prompt: 'consent',
    });
  }

  private chooserPage(request: SandboxRequest): SandboxReply {
    const base = `${request.baseUrl}${request.path}?${request.query.toString()}`;
    const links = [...this.state.accounts.values()]
      .map((account) => `<li><a href="${escapeHtml(`${base}&sandbox_account=${encodeURIComponent(account.email)}`)}">${escapeHtml(account.name)} &lt;${escapeHtml(account.email)}&gt;</a></li>`)
      .join('\n');
    return html(
      200,
      `<!doctype html><html><head><meta charset="utf-8"><title>Choose an account - Google sandbox</title></head>
<body><h1>Choose an account</h1><p>Google Calendar sandbox: picking an account grants the requested access at once.</p>
<ul>${links || '<li>No accounts are seeded. Seed one with POST /__control/accounts.</li>'}</ul>
<p><a href="${escapeHtml(`${base}&sandbox_deny=1`)}">Deny access</a></p></body></html>`,
    );
  }

  // ---- token endpoint -------------------------------------------------------------------------

  private token(request: SandboxRequest): SandboxReply {
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

  // ---- revoke, userinfo, tokeninfo ------------------------------------------------------------

  /** Revoking any token of a grant revokes the whole grant, as Google does. */
  private revoke(request: SandboxRequest): SandboxReply {
    const token = request.query.get('token') ?? parseForm(request).get('token');
    if (!token) throw new OAuthError(400, 'invalid_request', 'Missing required parameter: token');
    const grantId = this.state.accessTokens.get(token)?.grantId ?? this.state.refreshTokens.get(token);
    const grant = grantId ? this.state.grants.get(grantId) : undefined;
    if (!grant || grant.revoked) throw new OAuthError(400, 'invalid_token', 'Token expired or revoked');
    grant.revoked = true;
    for (const [value, record] of this.state.accessTokens) if (record.grantId === grant.id) this.state.accessTokens.delete(value);
    return json(200, {});
  }

  private userinfo(request: SandboxRequest, version: 'v2' | 'v3'): SandboxReply {
    let record: AccessTokenRecord;
    try {
      record = this.authenticate(request);
    } catch (error) {
      if (version === 'v2') throw error;
      return json(401, { error: 'invalid_request', error_description: 'Invalid Credentials' }, { 'WWW-Authenticate': 'Bearer realm="https://accounts.google.com/"' });
    }
    const account = this.state.findAccount(record.email)!;
    if (version === 'v2') return json(200, { id: account.sub, email: account.email, verified_email: true, name: account.name });
    return json(200, { sub: account.sub, name: account.name, email: account.email, email_verified: true });
  }

  private tokeninfo(request: SandboxRequest): SandboxReply {
    const bearer = header(request, 'authorization')?.match(/^Bearer\s+(.+)$/i)?.[1];
    const token = request.query.get('access_token') ?? bearer ?? parseForm(request).get('access_token');
    const record = token ? this.validAccessToken(token) : undefined;
    if (!record) throw new OAuthError(400, 'invalid_token', 'Invalid Value');
    const grant = this.state.grants.get(record.grantId)!;
    const account = this.state.findAccount(record.email)!;
    return json(200, {
      azp: record.clientId,
      aud: record.clientId,
      sub: account.sub,
      scope: record.scopes.join(' '),
      exp: String(Math.floor(record.expiresAt / 1000)),
      expires_in: String(Math.max(0, Math.floor((record.expiresAt - Date.now()) / 1000))),
      email: account.email,
      email_verified: 'true',
      access_type: grant.refreshToken ? 'offline' : 'online',
    });
  }

  private discovery(request: SandboxRequest): SandboxReply {
    const base = request.baseUrl;
    return json(200, {
      issuer: ISSUER,
      authorization_endpoint: `${base}/o/oauth2/v2/auth`,
      token_endpoint: `${base}/token`,
      userinfo_endpoint: `${base}/oauth2/v3/userinfo`,
      revocation_endpoint: `${base}/revoke`,
      jwks_uri: `${base}/oauth2/v3/certs`,
      response_types_supported: ['code'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['RS256'],
      scopes_supported: ['openid', 'email', 'profile'],
      code_challenge_methods_supported: ['S256'],
      grant_types_supported: ['authorization_code', 'refresh_token'],
    });
  }

  private oauthReply(run: () => SandboxReply): SandboxReply {
    try {
      return run();
    } catch (error) {
      if (error instanceof OAuthError) return json(error.status, error.toBody(), noStore());
      throw error;
    }
  }
}

function parseForm(request: SandboxRequest): URLSearchParams {
  const type = header(request, 'content-type') ?? '';
  if (type.includes('application/json') && request.rawBody) {
    try {
      return new URLSearchParams(JSON.parse(request.rawBody) as Record<string, string>);
    } catch {
      throw new OAuthError(400, 'invalid_request', 'Invalid JSON body');
    }
  }
  return new URLSearchParams(request.rawBody);
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && !url.hash;
  } catch {
    return false;
  }
}

function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

function redirect(target: string, params: Record<string, string>): SandboxReply {
  const url = new URL(target);
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
  return { status: 302, headers: { location: url.toString(), 'cache-control': 'no-store' } };
}

function noStore(): Record<string, string> {
  return { 'cache-control': 'no-store', pragma: 'no-cache' };
}

function errorPage(status: number, error: string, description: string): SandboxReply {
  return html(
    status,
    `<!doctype html><html><head><meta charset="utf-8"><title>Error ${status}: ${escapeHtml(error)}</title></head>
<body><h1>Access blocked: this request is invalid</h1><p>Error ${status}: ${escapeHtml(error)}</p><p>${escapeHtml(description)}</p></body></html>`,
  );
}
