// Google's OAuth 2.0 endpoints: the consent page (auto-consent for tests), the token endpoint
// (authorization_code with PKCE, refresh_token: oauth-tokens.ts), revocation, userinfo, tokeninfo and signing keys.
import { apiErrors, OAuthError } from './errors';
import { escapeHtml, header, html, json, type Route, type SandboxReply, type SandboxRequest } from './http';
import { errorPage, isHttpUrl, noStore, parseForm, redirect } from './oauth-replies';
import { ISSUER, TokenEndpoint } from './oauth-tokens';
import { type AccessTokenRecord, type AuthorizationCode, randomId, type SandboxState } from './store';

const CODE_TTL_MS = 10 * 60 * 1000;

export class OAuthService {
  private readonly tokens: TokenEndpoint;

  constructor(private readonly state: SandboxState) {
    this.tokens = new TokenEndpoint(state);
  }

  routes(): Route[] {
    return [
      { method: 'GET', pattern: /^\/o\/oauth2\/v2\/auth$/, handler: (request) => this.authorize(request) },
      { method: 'GET', pattern: /^\/o\/oauth2\/auth$/, handler: (request) => this.authorize(request) },
      { method: 'POST', pattern: /^\/token$/, handler: (request) => this.oauthReply(() => this.tokens.token(request)) },
      { method: 'POST', pattern: /^\/revoke$/, handler: (request) => this.oauthReply(() => this.revoke(request)) },
      { method: 'GET', pattern: /^\/revoke$/, handler: (request) => this.oauthReply(() => this.revoke(request)) },
      { method: 'GET', pattern: /^\/oauth2\/v3\/userinfo$/, handler: (request) => this.userinfo(request, 'v3') },
      { method: 'POST', pattern: /^\/oauth2\/v3\/userinfo$/, handler: (request) => this.userinfo(request, 'v3') },
      { method: 'GET', pattern: /^\/oauth2\/v2\/userinfo$/, handler: (request) => this.userinfo(request, 'v2') },
      { method: 'GET', pattern: /^\/tokeninfo$/, handler: (request) => this.oauthReply(() => this.tokeninfo(request)) },
      { method: 'POST', pattern: /^\/tokeninfo$/, handler: (request) => this.oauthReply(() => this.tokeninfo(request)) },
      { method: 'GET', pattern: /^\/oauth2\/v3\/certs$/, handler: () => json(200, { keys: [this.tokens.publicJwk] }) },
      { method: 'GET', pattern: /^\/oauth2\/v1\/certs$/, handler: () => json(200, { [this.tokens.keyId]: this.tokens.publicPem }) },
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

  // ---- token endpoint: oauth-tokens.ts ------------------------------------------------------

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
