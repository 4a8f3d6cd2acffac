// `npm start`: the whole service on this machine with no cloud account. Starts the local stack
// (DynamoDB Local, SQS emulator, SES emulator unless SES_ENDPOINT is set, Google sandbox when no GOOGLE_CLIENT_ID
// is set), then the HTTP API and
// schedules through serverless-offline, and stops all of it on Ctrl-C.
//   --fresh       start with an empty database (otherwise .local-data/ keeps it across restarts)
//   --in-memory   keep nothing on disk (the test suite uses this)
//   --ready-json  print one JSON line with the endpoints once ready (for the test setup)
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startLocalStack } from '../infra/local/stack';
import { startLocalSyncPoller } from './local-sync-poller';
import { buildWebIfStale } from '../web/build';

const ROOT = join(__dirname, '..');
const DATA_DIR = join(ROOT, '.local-data');
const args = new Set(process.argv.slice(2));
const quiet = args.has('--ready-json');
const log = (line: string) => (quiet ? process.stderr : process.stdout).write(`${line}\n`);

/** Development secrets, generated once and kept beside the local data so tokens survive a restart. */
function localSecrets(persist: boolean): { AUTH_SECRET: string; TOKEN_ENCRYPTION_KEY: string } {
  const file = join(DATA_DIR, 'secrets.json');
  if (persist && existsSync(file)) return JSON.parse(readFileSync(file, 'utf8'));
  const secrets = { AUTH_SECRET: randomBytes(32).toString('base64url'), TOKEN_ENCRYPTION_KEY: randomBytes(32).toString('base64') };
  if (persist) {
    mkdirSync(DATA_DIR, { recursive: true });
    writeFileSync(file, JSON.stringify(secrets), { mode: 0o600 });
  }
  return secrets;
}

async function waitForHealth(url: string, offline: ChildProcess, timeoutMs = Number(process.env.STACK_START_TIMEOUT_SECONDS ?? 600) * 1000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (offline.exitCode !== null) throw new Error(`serverless offline exited with code ${offline.exitCode}`);
    const ok = await fetch(url).then((response) => response.ok, () => false);
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`The HTTP API did not answer ${url} within ${timeoutMs / 1000} s`);
}

async function main(): Promise<void> {
  const persist = !args.has('--in-memory');
  const port = Number(process.env.PORT ?? 3000);
  const lambdaPort = Number(process.env.LAMBDA_PORT ?? (await freePort()));
  // The web function serves web/dist: build the pages first when missing or older than web/src.
  buildWebIfStale(ROOT, log);
  const stack = await startLocalStack({
    dataDir: persist ? join(DATA_DIR, 'dynamodb') : undefined,
    fresh: args.has('--fresh'),
    // Without a Google client of your own, the Google Calendar sandbox stands in for Google.
    // SANDBOX_PUSH_TIMEOUT_MS: how long the sandbox waits for the webhook (Google: a few seconds; the test stack longer).
    googleSandbox: process.env.GOOGLE_CLIENT_ID
      ? undefined
      : { redirectUri: `http://localhost:${port}/oauth/google/callback`, pushTimeoutMs: Number(process.env.SANDBOX_PUSH_TIMEOUT_MS) || undefined },
    // An SES of your own (SES_ENDPOINT) is used as it is, as GOOGLE_CLIENT_ID is for Google; otherwise the emulator.
    ses: process.env.SES_ENDPOINT ? undefined : {},
    log,
  });
  let poller: Awaited<ReturnType<typeof startLocalSyncPoller>> | undefined;
  // Each stack bundles into its own folder: several stacks (and `serverless package`) in one tree would
  // otherwise rebuild or delete the bundles under each other's feet.
  const esbuildFolder = process.env.ESBUILD_WORK_FOLDER ?? `.esbuild-offline-${process.pid}`;
  let offline: ChildProcess | undefined;
  let stopping = false;
  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    log('Stopping...');
    const stopStarted = Date.now();
    await poller?.stop();
    if (offline && offline.exitCode === null) {
      const exited = new Promise((resolve) => offline!.once('exit', resolve));
      // serverless-offline shuts down on SIGINT (what Ctrl-C sends), sent to its whole process group.
      try {
        process.kill(-offline.pid!, 'SIGINT');
      } catch {
        offline.kill('SIGINT');
      }
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
      if (offline.exitCode === null) process.kill(-offline.pid!, 'SIGKILL');
    }
    const offlineStoppedAfter = Date.now() - stopStarted;
    await stack.stop();
    if (!process.env.ESBUILD_WORK_FOLDER) rmSync(join(ROOT, esbuildFolder), { recursive: true, force: true });
    log(`Stopped (HTTP API in ${offlineStoppedAfter} ms, local stack in ${Date.now() - stopStarted - offlineStoppedAfter} ms).`);
    process.exit(code);
  };
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));

  try {
    const baseUrl = `http://localhost:${port}`;
    const env: Record<string, string> = {
      ...(process.env as Record<string, string>),
      ...stack.env,
      ...localSecrets(persist),
      PORT: String(port),
      LAMBDA_PORT: String(lambdaPort),
      ESBUILD_WORK_FOLDER: esbuildFolder,
      PUBLIC_BASE_URL: process.env.PUBLIC_BASE_URL ?? baseUrl,
      // Where these are unset, serverless.yml falls back to the AWS stack's own resources (its token key, API and
      // webhook URLs), which do not exist here: locally '' means none (AES-GCM tokens, the webhook on this API).
      KMS_KEY_ID: process.env.KMS_KEY_ID ?? '',
      WEBHOOK_BASE_URL: process.env.WEBHOOK_BASE_URL ?? '',
      OAUTH_REDIRECT_URI: stack.env.OAUTH_REDIRECT_URI ?? process.env.OAUTH_REDIRECT_URI ?? `${baseUrl}/oauth/google/callback`,
      POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? (quiet ? 'ERROR' : 'INFO'),
    };
    const serverlessBin = join(ROOT, 'node_modules', 'osls', 'bin', 'serverless.js');
    // Its own process group, so Ctrl-C can stop it and every worker it started.
    // In --ready-json mode (the tests) its per-request chatter goes to a file, printed if it fails to start.
    const offlineLog = quiet ? openSync(join(tmpdir(), `calendar-hub-offline-${process.pid}.log`), 'w') : 'inherit';
    offline = spawn(process.execPath, [serverlessBin, 'offline', 'start', '--stage', 'local'], {
      cwd: ROOT,
      env,
      detached: true,
      stdio: ['ignore', offlineLog, offlineLog],
    });
    await waitForHealth(`${baseUrl}/health`, offline);
    // The sync worker's SQS trigger: serverless-offline has none, so a poller invokes the same function.
    poller = await startLocalSyncPoller({
      queueUrl: stack.env.SYNC_QUEUE_URL,
      sqsEndpoint: stack.env.SQS_ENDPOINT,
      region: stack.env.AWS_REGION,
      lambdaBaseUrl: `http://localhost:${lambdaPort}`,
      functionName: 'calendar-hub-local-syncWorker',
      batchSize: 1, // as the syncWorker's sqs event in serverless.yml
      concurrency: Number(env.MAX_PARALLEL_COMPANY_SYNC || 1),
      log,
    });
    if (quiet) {
      // The links in mail point at this API, also in the mail a test's in-process sender writes.
      const shared = { ...stack.env, AUTH_SECRET: env.AUTH_SECRET, TOKEN_ENCRYPTION_KEY: env.TOKEN_ENCRYPTION_KEY, PUBLIC_BASE_URL: env.PUBLIC_BASE_URL };
      process.stdout.write(`${JSON.stringify({ baseUrl, env: shared })}\n`);
    }
    if (stack.env.GOOGLE_SANDBOX_URL) {
      log(`Google: the sandbox at ${stack.env.GOOGLE_SANDBOX_URL} stands in for Google (demo account demo@sandbox.test).`);
      log(`  Connect it: GET ${baseUrl}/oauth/google/start?loginHint=demo@sandbox.test with your bearer token, then follow the redirects, keeping its cookie (or sending the bearer) to the callback.`);
    }
    const sesEndpoint = stack.env.SES_ENDPOINT ?? process.env.SES_ENDPOINT;
    log(`Mail: ${stack.env.SES_ENDPOINT ? `every mail sent is listed on ${sesEndpoint}/` : `sent to the SES at ${sesEndpoint}`}.`);
    log(`\nCalendar Hub is running: ${baseUrl}  (console: ${baseUrl}/app/, API reference: ${baseUrl}/docs, OpenAPI: ${baseUrl}/openapi.json). Ctrl-C stops everything.`);
    offline.on('exit', (code) => void shutdown(code ?? 1));
  } catch (error) {
    log(`Could not start: ${(error as Error).message}`);
    if (quiet) log(`serverless offline log: ${join(tmpdir(), `calendar-hub-offline-${process.pid}.log`)}`);
    await shutdown(1);
  }
}

void main();
