// Errors from Google's and AWS's clients carry the failed request; none of its secrets may reach a log line.
import { Logger } from '@aws-lambda-powertools/logger';
import { redactLogValue } from '../../../lib/http/logger';

function captured(log: (logger: Logger) => void): string {
  const lines: string[] = [];
  // Powertools writes errors and warnings to stderr, the rest to stdout.
  const spies = [process.stdout, process.stderr].map((stream) =>
    jest.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    }),
  );
  try {
    // Errors only: the suite may run with POWERTOOLS_LOG_LEVEL=ERROR, which would silence anything lower.
    log(new Logger({ serviceName: 'test', jsonReplacerFn: redactLogValue }));
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
  return lines.join('');
}

/** Shaped like a GaxiosError from a token refresh: the request's headers and body ride along as fields. */
function googleError(): Error {
  const error = new Error('invalid_grant') as Error & Record<string, unknown>;
  error.name = 'GaxiosError';
  error.code = '400';
  error.status = 400;
  error.config = {
    url: 'https://oauth2.googleapis.com/token',
    headers: { Authorization: 'Bearer ya29.SECRET-ACCESS' },
    data: 'grant_type=refresh_token&refresh_token=1//SECRET-REFRESH&client_secret=SECRET-CLIENT',
  };
  error.response = { status: 400, data: { error: 'invalid_grant' }, config: { headers: { authorization: 'Bearer ya29.SECRET-ACCESS' } } };
  return error;
}

it('logs a client error by its name, message, status and stack, and none of the request it carries', () => {
  const line = captured((logger) => logger.error('sync failed', { companyId: 'c1', error: googleError() }));
  expect(line).not.toMatch(/SECRET/);
  const entry = JSON.parse(line);
  expect(entry.error).toMatchObject({ name: 'GaxiosError', message: 'invalid_grant', status: 400, code: '400' });
  expect(entry.error.stack).toBeTruthy();
  expect(entry.error).not.toHaveProperty('config');
  expect(entry.companyId).toBe('c1');
});

it('keeps the cause chain under the same allowlist', () => {
  const outer = new Error('write-back failed', { cause: googleError() });
  const line = captured((logger) => logger.error('failed', { error: outer }));
  expect(line).not.toMatch(/SECRET/);
  expect(JSON.parse(line).error.cause).toMatchObject({ name: 'GaxiosError', message: 'invalid_grant' });
});

it('redacts secret keys wherever they appear in a line', () => {
  const line = captured((logger) => logger.error('odd reply', { reply: { access_token: 'SECRET-1', nested: { refresh_token: 'SECRET-2', Authorization: 'Bearer SECRET-3' } }, kept: 'visible' }));
  expect(line).not.toMatch(/SECRET/);
  expect(JSON.parse(line)).toMatchObject({ kept: 'visible', reply: { access_token: '[redacted]', nested: { refresh_token: '[redacted]', Authorization: '[redacted]' } } });
});
