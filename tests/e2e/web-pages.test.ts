// The web function over HTTP: the two pages and their files with the right types and caching, client-side
// routes answered with their page, missing files as 404s, and no way out of web/dist.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { api, baseUrl } from '../support/http';

const dist = join(__dirname, '..', '..', 'web', 'dist');
const assets = readdirSync(join(dist, 'assets'));
const asset = (pattern: RegExp) => assets.find((name) => pattern.test(name))!;

/** A GET exactly as written (no URL normalisation of ../ or %2e%2e by the client). */
async function rawGet(path: string, headers: Record<string, string> = {}) {
  const { request } = await import('node:http');
  const url = new URL(baseUrl());
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }>((resolve, reject) => {
    const call = request({ host: url.hostname, port: url.port, path, method: 'GET', headers }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode!, headers: response.headers, body }));
    });
    call.on('error', reject);
    call.end();
  });
}

it('serves the console at /app and /app/ and the booking page at /app/book/{slug}, as no-cache HTML with a strict CSP', async () => {
  const console = readFileSync(join(dist, 'index.html'), 'utf8');
  const booking = readFileSync(join(dist, 'book.html'), 'utf8');
  for (const [path, page] of [['/app', console], ['/app/', console], ['/app/companies/01ABC', console], ['/app/book/some-slug', booking], ['/app/book/some-slug?booking=x&token=y', booking]]) {
    const reply = await api('GET', path);
    expect({ path, status: reply.status }).toEqual({ path, status: 200 });
    expect(reply.text).toBe(page);
    expect(reply.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(reply.headers.get('cache-control')).toBe('no-cache');
    expect(reply.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(reply.headers.get('content-security-policy')).toContain("connect-src 'self'");
    expect(reply.headers.get('referrer-policy')).toBe('no-referrer');
    expect(reply.headers.get('x-content-type-options')).toBe('nosniff');
  }
  expect(console).toContain('/app/assets/admin-');
  expect(booking).toContain('/app/assets/book-');
  expect(booking).not.toContain('/app/assets/admin-');
});

it('sends a browser that opens the service root to the console', async () => {
  const reply = await api('GET', '/');
  expect(reply.status).toBe(302);
  expect(reply.headers.get('location')).toBe('/app/');
});

it('serves the hashed files as immutable with their content types, and revalidates pages by ETag', async () => {
  const script = await api('GET', `/app/assets/${asset(/^book-.*\.js$/)}`);
  expect(script.status).toBe(200);
  expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
  expect(script.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
  expect(script.text).toBe(readFileSync(join(dist, 'assets', asset(/^book-.*\.js$/)), 'utf8'));
  const style = await api('GET', `/app/assets/${asset(/^admin-.*\.css$/)}`);
  expect(style.headers.get('content-type')).toBe('text/css; charset=utf-8');
  const icon = await api('GET', '/app/favicon.svg');
  expect(icon.headers.get('content-type')).toBe('image/svg+xml; charset=utf-8');
  expect(icon.headers.get('cache-control')).toBe('public, max-age=3600');

  const page = await api('GET', '/app/');
  const etag = page.headers.get('etag')!;
  expect(etag).toMatch(/^"[\w-]+"$/);
  const again = await api('GET', '/app/', { headers: { 'if-none-match': etag } });
  expect(again.status).toBe(304);
  expect(again.text).toBe('');
  expect((await api('GET', '/app/', { headers: { 'if-none-match': '"stale"' } })).status).toBe(200);
});

it('answers a missing file with 404, never with a page', async () => {
  for (const path of ['/app/assets/missing.js', '/app/assets/missing', '/app/missing.css', '/app/book/x/y.js']) {
    const reply = await api('GET', path);
    expect({ path, status: reply.status }).toEqual({ path, status: 404 });
    expect(reply.text).not.toContain('<html');
  }
});

it('never serves a file outside web/dist, however the path is spelled', async () => {
  const secrets = [readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8').slice(0, 40), 'AUTH_SECRET'];
  for (const path of [
    '/app/../package.json',
    '/app/%2e%2e/package.json',
    '/app/%2e%2e%2fpackage.json',
    '/app/..%2f..%2fpackage.json',
    '/app/assets/..%2f..%2f..%2fpackage.json',
    '/app/%2e%2e%2f%2e%2e%2f.local-data%2fsecrets.json',
    '/app/..%5c..%5cpackage.json',
    '/app/%252e%252e%252fpackage.json',
    '/app/.%2fbook.html%00.js',
  ]) {
    const reply = await rawGet(path);
    for (const secret of secrets) expect({ path, leaked: reply.body.includes(secret) }).toEqual({ path, leaked: false });
    expect({ path, ok: [200, 404, 400].includes(reply.status) }).toEqual({ path, ok: true });
    if (reply.status === 200) expect(reply.headers['content-type']).toBe('text/html; charset=utf-8');
  }
});
