// Cookies in and out: the request's cookies by name, and Set-Cookie values that scripts cannot read
// (HttpOnly) and that other sites' subrequests do not carry (SameSite=Lax); the OAuth binding cookie.
import { getConfig } from '../config';

/** `name=value` pairs (API Gateway's `cookies` list, or a Cookie header split on `;`); the first of a name wins. */
export function parseCookies(pairs: string[]): Record<string, string> {
  const cookies: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at <= 0) continue;
    const name = pair.slice(0, at).trim();
    if (name && !(name in cookies)) cookies[name] = pair.slice(at + 1).trim();
  }
  return cookies;
}

export type CookieOptions = { path: string; maxAgeSeconds: number; secure: boolean };

/** An HttpOnly, SameSite=Lax cookie; Max-Age 0 removes it. The value must be cookie-safe (base64url is). */
export function serializeCookie(name: string, value: string, options: CookieOptions): string {
  return [`${name}=${value}`, `Path=${options.path}`, `Max-Age=${options.maxAgeSeconds}`, 'HttpOnly', 'SameSite=Lax', ...(options.secure ? ['Secure'] : [])].join('; ');
}

/** The cookie that binds a Google consent to the user agent that started it; sent back to the callback only. */
export const OAUTH_BINDING_COOKIE = 'oauth_binding';

/** Sets (or, with Max-Age 0, removes) the binding cookie, scoped to the OAuth callback's path. */
export function oauthBindingCookie(value: string, maxAgeSeconds: number, headers: Record<string, string | undefined>): string {
  return serializeCookie(OAUTH_BINDING_COOKIE, value, {
    path: new URL(getConfig().OAUTH_REDIRECT_URI ?? '/oauth/google/callback', 'http://callback.invalid').pathname,
    maxAgeSeconds,
    secure: headers['x-forwarded-proto'] === 'https',
  });
}
