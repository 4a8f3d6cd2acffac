// /openapi.json passes a standard linter's recommended rules (@redocly/cli lint) with no errors, run offline.
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { routes } from '../../../lib/http/contract';
import { buildOpenApi } from '../../../lib/http/openapi';

const run = promisify(execFile);

it('passes redocly lint (recommended rules) with no errors', async () => {
  const file = join(mkdtempSync(join(tmpdir(), 'openapi-')), 'openapi.json');
  writeFileSync(file, JSON.stringify(buildOpenApi(routes)));
  const cli = join(__dirname, '..', '..', '..', 'node_modules', '@redocly', 'cli', 'bin', 'cli.js');
  const result = await run(process.execPath, [cli, 'lint', file, '--format=stylish'], {
    env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
  }).catch((error: { code: number; stdout: string; stderr: string }) => error);
  const output = `${result.stdout}\n${result.stderr}`;
  expect(output).not.toMatch(/\berror\b/);
  expect(output).toMatch(/valid/);
  expect('code' in result ? result.code : 0).toBe(0);
}, 60_000);
