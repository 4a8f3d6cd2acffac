// Builds the pages into web/dist when they are missing or older than their sources (npm start, the test setup).
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

const SOURCES = ['src', 'public', 'index.html', 'book.html', 'vite.config.mts'];

function newestModification(path: string): number {
  if (!existsSync(path)) return 0;
  const stats = statSync(path);
  if (!stats.isDirectory()) return stats.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((name) => newestModification(join(path, name))));
}

export function webBuildIsStale(root: string): boolean {
  const web = join(root, 'web');
  const pages = ['index.html', 'book.html'].map((name) => join(web, 'dist', name));
  if (!pages.every((page) => existsSync(page))) return true;
  const builtAt = Math.min(...pages.map((page) => statSync(page).mtimeMs));
  return SOURCES.some((source) => newestModification(join(web, source)) > builtAt);
}

/**
 * Runs `vite build` (what `npm run build` does) when needed; returns whether it built. It builds into a
 * folder of its own and then swaps it in, so a server (or a second test run building at the same moment)
 * never sees a half-written web/dist.
 */
export function buildWebIfStale(root: string, log: (line: string) => void): boolean {
  if (!webBuildIsStale(root)) return false;
  const started = Date.now();
  const scratch = `.dist-build-${process.pid}`;
  const scratchPath = join(root, 'web', scratch);
  try {
    execFileSync(
      process.execPath,
      [join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', 'web/vite.config.mts', '--outDir', scratch, '--emptyOutDir', '--logLevel', 'warn'],
      { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const dist = join(root, 'web', 'dist');
    rmSync(dist, { recursive: true, force: true });
    try {
      renameSync(scratchPath, dist);
    } catch {
      // Another build swapped its own (equally fresh) output in first.
    }
  } catch (error) {
    const failure = error as { stdout?: Buffer; stderr?: Buffer; message?: string };
    throw new Error(`Building the pages failed:\n${failure.stdout?.toString() ?? ''}${failure.stderr?.toString() ?? failure.message ?? ''}`);
  } finally {
    rmSync(scratchPath, { recursive: true, force: true });
  }
  log(`Pages built into web/dist in ${Date.now() - started} ms`);
  return true;
}
