// The static site behind the web function, on a folder of its own: only listed files, right types, no way out.
import { mkdirSync, mkdtempSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findSiteRoot, openSite } from '../../../lib/web/static-files';

function makeSite() {
  const project = mkdtempSync(join(tmpdir(), 'site-'));
  const root = join(project, 'web', 'dist');
  mkdirSync(join(root, 'assets'), { recursive: true });
  writeFileSync(join(project, 'secret.txt'), 'top secret');
  writeFileSync(join(root, 'index.html'), '<html>console</html>');
  writeFileSync(join(root, 'book.html'), '<html>booking</html>');
  writeFileSync(join(root, 'assets', 'admin-abc.js'), 'console.log(1)');
  writeFileSync(join(root, 'assets', 'logo.png'), 'binary');
  symlinkSync(join(project, 'secret.txt'), join(root, 'assets', 'linked.txt'));
  return { project, root };
}

it('serves listed files with their type and caching, pages for client routes, 404 for missing files', () => {
  const { root } = makeSite();
  const site = openSite(() => root);
  expect(site.reply('')).toMatchObject({ status: 200, body: '<html>console</html>', headers: { 'cache-control': 'no-cache', 'content-type': 'text/html; charset=utf-8' } });
  expect(site.reply('companies/1').body).toBe('<html>console</html>');
  expect(site.reply('book/ada-intro').body).toBe('<html>booking</html>');
  expect(site.reply('assets/admin-abc.js')).toMatchObject({ status: 200, headers: { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'public, max-age=31536000, immutable' } });
  expect(site.reply('assets/nothing.js').status).toBe(404);
  expect(site.reply('assets/nothing').status).toBe(404);
  // Types it does not know are not served at all, and symbolic links are never followed.
  expect(site.reply('assets/logo.png').status).toBe(404);
  expect(site.reply('assets/linked.txt').status).toBe(404);
});

it('cannot be walked out of, whatever the path', () => {
  const { root } = makeSite();
  const site = openSite(() => root);
  for (const path of ['../secret.txt', '../../secret.txt', 'assets/../../secret.txt', '/../secret.txt', '..\\secret.txt', 'assets/%2e%2e/secret.txt', '\u0000../secret.txt']) {
    const reply = site.reply(path);
    expect(reply.body ?? '').not.toContain('top secret');
    expect([200, 404]).toContain(reply.status);
  }
});

it('answers 304 to a matching ETag, and sees a rebuild without a restart', () => {
  const { root } = makeSite();
  const site = openSite(() => root);
  const first = site.reply('');
  const unchanged = site.reply('', first.headers.etag);
  expect(unchanged.status).toBe(304);
  expect(unchanged.body).toBeUndefined();
  writeFileSync(join(root, 'index.html'), '<html>new console</html>');
  utimesSync(join(root, 'index.html'), new Date(), new Date(Date.now() + 5000));
  expect(site.reply('', first.headers.etag)).toMatchObject({ status: 200, body: '<html>new console</html>' });
});

it('says how to build when the pages are missing, and finds web/dist upwards from a bundle folder', () => {
  const { project, root } = makeSite();
  expect(openSite(() => undefined).reply('').status).toBe(503);
  mkdirSync(join(project, '.esbuild', '.build', 'functions', 'http'), { recursive: true });
  expect(findSiteRoot(join(project, '.esbuild', '.build', 'functions', 'http'))).toBe(root);
  expect(findSiteRoot(tmpdir())).toBeUndefined();
});
