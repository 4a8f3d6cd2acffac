// The built pages (web/dist) as a site: only files listed at start can be served (no path from a request ever
// reaches the file system), each with its content type, caching and ETag; client-side routes get their page.
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, extname, join, relative, sep } from 'node:path';

export type SiteReply = { status: number; body?: string; headers: Record<string, string> };

/** Text types only: the build emits no binary files, and the HTTP chain answers with text bodies. */
const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

/** Pages run only our own files and talk only to this origin; tokens in links never leak through Referer. */
const PAGE_HEADERS = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
};

type SiteFile = { body: string; contentType: string; cacheControl: string; etag: string };

/**
 * Caching: Vite's hashed files under assets/ never change (a year, immutable); pages are revalidated on every
 * load (no-cache with an ETag), so a deploy is seen at once; anything else for an hour.
 */
function cacheControlFor(path: string): string {
  if (path.startsWith('assets/')) return 'public, max-age=31536000, immutable';
  if (path.endsWith('.html')) return 'no-cache';
  return 'public, max-age=3600';
}

function listFiles(root: string): Map<string, SiteFile> {
  const files = new Map<string, SiteFile>();
  const walk = (folder: string) => {
    for (const name of readdirSync(folder)) {
      const full = join(folder, name);
      const stats = lstatSync(full);
      // Symbolic links could point outside the site: never followed.
      if (stats.isSymbolicLink()) continue;
      if (stats.isDirectory()) walk(full);
      else if (stats.isFile() && CONTENT_TYPES[extname(name)]) {
        const path = relative(root, full).split(sep).join('/');
        const body = readFileSync(full, 'utf8');
        files.set(path, {
          body,
          contentType: CONTENT_TYPES[extname(name)],
          cacheControl: cacheControlFor(path),
          etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`,
        });
      }
    }
  };
  walk(root);
  return files;
}

/** The page a client-side route belongs to: the booking page under book/, the console everywhere else. */
function pageFor(path: string): string {
  return path === 'book' || path.startsWith('book/') ? 'book.html' : 'index.html';
}

export type Site = { reply(path: string, ifNoneMatch?: string): SiteReply };

/**
 * A site over a built folder (with index.html), found by `locate` on first use (and again while not built).
 * The listing is re-read when index.html changes, so a rebuild during `npm start` is served without a
 * restart; on Lambda it is read once per container.
 */
export function openSite(locate: () => string | undefined): Site {
  let root: string | undefined;
  let files: Map<string, SiteFile> | undefined;
  let builtAt = -1;
  const current = (): Map<string, SiteFile> | undefined => {
    root ??= locate();
    if (!root) return undefined;
    const index = join(root, 'index.html');
    if (!existsSync(index)) return undefined;
    const modified = statSync(index).mtimeMs;
    if (!files || modified !== builtAt) {
      files = listFiles(root);
      builtAt = modified;
    }
    return files;
  };

  return {
    reply(rawPath, ifNoneMatch) {
      const site = current();
      if (!site) {
        return { status: 503, body: 'The pages are not built. Run `npm run build` (npm start does it for you).', headers: { 'content-type': 'text/plain; charset=utf-8' } };
      }
      const path = rawPath.replace(/^\/+/, '');
      let file = site.get(path === '' ? 'index.html' : path);
      // A path that names a file (an extension) or an asset is a file or nothing: a missing script must not
      // be answered with a page. Anything else is a client-side route of one of the two pages.
      if (!file && !extname(path) && !path.startsWith('assets/')) file = site.get(pageFor(path));
      if (!file) return { status: 404, body: 'Not found', headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' } };
      const headers: Record<string, string> = {
        'content-type': file.contentType,
        'cache-control': file.cacheControl,
        etag: file.etag,
        'x-content-type-options': 'nosniff',
        ...(file.contentType.startsWith('text/html') ? PAGE_HEADERS : {}),
      };
      if (ifNoneMatch && ifNoneMatch.split(',').some((tag) => tag.trim().replace(/^W\//, '') === file.etag)) return { status: 304, headers };
      return { status: 200, body: file.body, headers };
    },
  };
}

/**
 * Where web/dist is: next to the deployed bundle on Lambda (/var/task/web/dist, shipped by package.patterns),
 * or in the project when the bundle runs from .esbuild/ under serverless-offline. Searched upwards from `from`.
 */
export function findSiteRoot(from: string): string | undefined {
  for (let folder = from; ; folder = dirname(folder)) {
    const candidate = join(folder, 'web', 'dist');
    if (existsSync(join(candidate, 'index.html'))) return candidate;
    if (dirname(folder) === folder) return undefined;
  }
}
