// Starts the whole local stack once for the suite, exactly as `npm start` does (in memory, on free ports),
// and hands its endpoints to the test workers through the environment.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { freePort } from '../../infra/local/stack';
import { buildWebIfStale } from '../../web/build';

export default async function globalSetup(): Promise<void> {
  // `npm test` runs the unit tests a second time under another TZ; they need no local stack.
  if (process.env.UNIT_ONLY === '1') return;
  const root = join(__dirname, '..', '..');
  // The pages the web function serves (browser tests, packaging): built when missing or stale.
  buildWebIfStale(root, (line) => process.stderr.write(`${line}\n`));
  const port = await freePort();
  const child = spawn(process.execPath, [join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'), 'scripts/start.ts', '--in-memory', '--ready-json'], {
    cwd: root,
    // The handlers run under a non-UTC zone with a half-hour offset, so no code can lean on TZ=UTC.
    env: {
      ...process.env,
      TZ: process.env.STACK_TZ ?? 'Asia/Kolkata',
      PORT: String(port),
      POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'ERROR',
      // Always the Google sandbox (its URL comes back as GOOGLE_SANDBOX_URL), and no sync starts unless a test asks.
      GOOGLE_CLIENT_ID: '',
      SYNC_SCHEDULE_ENABLED: '0',
      MAX_PARALLEL_COMPANY_SYNC: '4',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  (globalThis as Record<string, unknown>).__LOCAL_STACK__ = child;

  const ready = await new Promise<{ baseUrl: string; env: Record<string, string> }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('The local stack did not start within 180 s')), 180_000);
    child.once('exit', (code) => reject(new Error(`The local stack exited early with code ${code}`)));
    createInterface({ input: child.stdout! }).once('line', (line) => {
      clearTimeout(timer);
      resolve(JSON.parse(line));
    });
  });
  Object.assign(process.env, ready.env, { API_BASE_URL: ready.baseUrl, POWERTOOLS_LOG_LEVEL: 'ERROR' });
}
