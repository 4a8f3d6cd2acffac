// Starts the whole local stack once for the suite, exactly as `npm start` does (in memory, on free ports),
// and hands its endpoints to the test workers through the environment.
import { join } from 'node:path';
import { buildWebIfStale } from '../../web/build';
import { findChromium } from './find-chromium';
import { startStackProcess } from './local-stack-process';

export default async function globalSetup(): Promise<void> {
  // `npm test` runs the unit tests a second time under another TZ; they need no local stack.
  if (process.env.UNIT_ONLY === '1') return;
  // The browser tests need a Chromium: without one, say so now (with the command that installs it), not after minutes.
  findChromium();
  const root = join(__dirname, '..', '..');
  // The pages the web function serves (browser tests, packaging): built when missing or stale.
  buildWebIfStale(root, (line) => process.stderr.write(`${line}\n`));
  const { child } = await startStackProcess({
    // The handlers run under a non-UTC zone with a half-hour offset, so no code can lean on TZ=UTC.
    TZ: process.env.STACK_TZ ?? 'Asia/Kolkata',
    // Always the Google sandbox (its URL comes back as GOOGLE_SANDBOX_URL), and no sync starts unless a test asks.
    GOOGLE_CLIENT_ID: '',
    SYNC_SCHEDULE_ENABLED: '0',
    MAX_PARALLEL_COMPANY_SYNC: '4',
    // The suite signs up hundreds of users: scrypt at 2^14 (30 ms a hash here) instead of the default 2^17 (0.7 s);
    // tests/unit/passwords.test.ts checks the default. Sessions are checked on every request (no 60 s cache).
    PASSWORD_HASH_COST: '14',
    SESSION_CACHE_SECONDS: '0',
    // Every test comes from 127.0.0.1, so the per-address limits are raised; they are tested from chosen addresses
    // in-process (tests/integration/rate-limits.test.ts). Two per-key limits are low, with windows of a day that no
    // test straddles, for tests/e2e/rate-limits.test.ts; the others keep their defaults.
    RATE_LIMIT_SIGN_IN_FAILURES_PER_ADDRESS: '100000/3600',
    RATE_LIMIT_SIGN_UPS_PER_ADDRESS: '100000/3600',
    RATE_LIMIT_BOOKINGS_PER_ADDRESS: '100000/3600',
    RATE_LIMIT_SIGN_IN_FAILURES_PER_ACCOUNT: '5/86400',
    RATE_LIMIT_SYNC_REQUESTS_PER_COMPANY: '5/86400',
  });
  (globalThis as Record<string, unknown>).__LOCAL_STACK__ = child;
}
