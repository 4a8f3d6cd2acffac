// The local stack as a child process, exactly as `npm start` runs it (scripts/start.ts --in-memory
// --ready-json, free ports, no rebuilds): used by the test setup and the benchmark runner. Its endpoints land in process.env.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { freePort } from '../../infra/local/stack';

const ROOT = join(__dirname, '..', '..');

export async function startStackProcess(env: Record<string, string> = {}): Promise<{ child: ChildProcess; baseUrl: string }> {
  const port = await freePort();
  const child = spawn(process.execPath, [join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), 'scripts/start.ts', '--in-memory', '--ready-json'], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'ERROR',
      // One fixed build for the whole run: a rebuild (someone saving a file in the tree meanwhile) makes
      // serverless-offline end every handler worker, busy ones too, and a request in flight then never answers.
      // The watch pattern names a path that does not exist (custom.esbuild.watch in serverless.yml).
      ESBUILD_WATCH_PATTERN: './.no-rebuild-during-this-run',
      // A loaded CI machine (a 100-guest burst beside the push tests) has kept the webhook's handler busy for 11-21 s;
      // Google's few seconds would make those tests measure the machine. What they check is delivery and its effect.
      SANDBOX_PUSH_TIMEOUT_MS: '60000',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const ready = await new Promise<{ baseUrl: string; env: Record<string, string> }>((resolve, reject) => {
    // Generous: bundling 16 functions on a loaded 2-core machine has taken minutes; an idle one takes well under one.
    const startSeconds = Number(process.env.STACK_START_TIMEOUT_SECONDS ?? 600);
    const timer = setTimeout(() => reject(new Error(`The local stack did not start within ${startSeconds} s`)), startSeconds * 1000);
    child.once('exit', (code) => reject(new Error(`The local stack exited early with code ${code}`)));
    createInterface({ input: child.stdout! }).once('line', (line) => {
      clearTimeout(timer);
      resolve(JSON.parse(line));
    });
  }).catch((error) => {
    // A stack that never became ready is not left running (with its Java process) behind a failed run.
    child.kill('SIGTERM');
    throw error;
  });
  Object.assign(process.env, ready.env, { API_BASE_URL: ready.baseUrl, POWERTOOLS_LOG_LEVEL: 'ERROR' });
  return { child, baseUrl: ready.baseUrl };
}

/** Stops it (it stops DynamoDB Local's Java process itself); the wait timer is cleared so nothing lingers. */
export async function stopStackProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([exited, new Promise((resolve) => (timer = setTimeout(resolve, 10_000)))]);
  clearTimeout(timer);
  if (child.exitCode === null) child.kill('SIGKILL');
  child.stdout?.destroy();
}
