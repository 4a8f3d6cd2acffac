// Cookies in and out of the HTTP layer: API Gateway's cookie list (or a Cookie header) by name, and the
// attributes of the cookies we set.
import { parseCookies, serializeCookie } from '../../lib/http/cookies';

it('reads cookies by name from a cookie list or a split Cookie header, the first of a name winning', () => {
  expect(parseCookies(['a=1', 'oauth_binding=x-y_z', 'a=2'])).toEqual({ a: '1', oauth_binding: 'x-y_z' });
  expect(parseCookies('a=1; b=two=2;  c= 3 '.split(';'))).toEqual({ a: '1', b: 'two=2', c: '3' });
  expect(parseCookies(['', 'novalue', '=orphan'])).toEqual({});
});

it('sets HttpOnly, SameSite=Lax cookies with a path and lifetime, Secure only when asked', () => {
  expect(serializeCookie('n', 'v', { path: '/oauth/google/callback', maxAgeSeconds: 600, secure: false })).toBe(
    'n=v; Path=/oauth/google/callback; Max-Age=600; HttpOnly; SameSite=Lax',
  );
  expect(serializeCookie('n', '', { path: '/', maxAgeSeconds: 0, secure: true })).toBe('n=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax; Secure');
});
