// The secrets loader (lib/secrets.ts) with a fake source, and the configuration's AWS rules (lib/config.ts).
import type { SecretName, SecretSource } from '../../lib/secrets';

const AUTH = 'a'.repeat(40);
const saved = { ...process.env };

type Container = typeof import('../../lib/config') & typeof import('../../lib/secrets') & typeof import('../../lib/load-secrets');

function useEnvironment(values: Record<string, string | undefined>): void {
  for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
  Object.assign(process.env, saved, { TABLE_NAME: 'calendar-hub-unit', KMS_KEY_ID: 'unit-test-key' }, values);
  for (const [name, value] of Object.entries(values)) if (value === undefined) delete process.env[name];
}

/** A new container with this environment: the modules load afresh, their configuration and secrets unread, as at a cold start. */
function coldStart(values: Record<string, string | undefined>): Container {
  useEnvironment(values);
  let container: Container | undefined;
  jest.isolateModules(() => {
    container = { ...require('../../lib/config'), ...require('../../lib/secrets'), ...require('../../lib/load-secrets') };
  });
  return container!;
}

/** A source that counts its reads, like Parameter Store would be called. */
function fakeSource(values: Partial<Record<SecretName, string>>) {
  const reads: SecretName[] = [];
  const source: SecretSource = { read: async (name) => (reads.push(name), values[name]) };
  return { source, reads };
}

afterAll(() => useEnvironment({}));

describe('secrets', () => {
  it('a function reads its secrets once, at cold start, and then from memory', async () => {
    const { loadSecrets, secretsReady, secret } = coldStart({ AWS_LAMBDA_FUNCTION_NAME: 'calendar-hub-unit-users', AUTH_SECRET: undefined });
    const { source, reads } = fakeSource({ AUTH_SECRET: AUTH, GOOGLE_CLIENT_SECRET: 'google' });
    loadSecrets(['AUTH_SECRET', 'GOOGLE_CLIENT_SECRET'], source);
    await secretsReady();
    await secretsReady();
    expect(secret('AUTH_SECRET')).toBe(AUTH);
    expect(secret('GOOGLE_CLIENT_SECRET')).toBe('google');
    expect(reads.sort()).toEqual(['AUTH_SECRET', 'GOOGLE_CLIENT_SECRET']);
  });

  it('attack: code in a function that did not load a secret cannot read it, even when the environment has it', async () => {
    const { loadSecrets, secretsReady, secret } = coldStart({ AWS_LAMBDA_FUNCTION_NAME: 'calendar-hub-unit-book', AUTH_SECRET: AUTH });
    loadSecrets([], fakeSource({}).source);
    await secretsReady();
    expect(() => secret('AUTH_SECRET')).toThrow(/AUTH_SECRET is not available in calendar-hub-unit-book: not among the secrets its handler loads/);
  });

  it('outside a function (tests, scripts) the value comes from the environment', () => {
    const { secret } = coldStart({ AWS_LAMBDA_FUNCTION_NAME: undefined, AUTH_SECRET: AUTH, GOOGLE_CLIENT_SECRET: undefined });
    expect(secret('AUTH_SECRET')).toBe(AUTH);
    expect(secret('GOOGLE_CLIENT_SECRET')).toBeUndefined();
  });

  it('a short AUTH_SECRET, or none at all, fails naming the variable and its parameter', async () => {
    const { loadSecrets, secretsReady } = coldStart({ AWS_LAMBDA_FUNCTION_NAME: 'calendar-hub-unit-auth', AUTH_SECRET: undefined, AUTH_SECRET_PARAMETER: '/calendar-hub/unit/auth-secret' });
    loadSecrets(['AUTH_SECRET'], fakeSource({ AUTH_SECRET: 'short' }).source);
    await expect(secretsReady()).rejects.toThrow('Invalid configuration: AUTH_SECRET must be at least 32 characters');
    loadSecrets(['AUTH_SECRET'], fakeSource({}).source);
    await expect(secretsReady()).rejects.toThrow('the SSM parameter /calendar-hub/unit/auth-secret (AUTH_SECRET_PARAMETER) has no value');
    // Nothing configured at all: the cold start itself fails.
    const unconfigured = coldStart({ AWS_LAMBDA_FUNCTION_NAME: 'calendar-hub-unit-auth', AUTH_SECRET: undefined, AUTH_SECRET_PARAMETER: undefined });
    expect(() => unconfigured.loadSecrets(['AUTH_SECRET'])).toThrow('set AUTH_SECRET (local) or AUTH_SECRET_PARAMETER');
  });

  it('a failed read (Parameter Store unreachable) is tried again by the next request', async () => {
    const { loadSecrets, secretsReady, secret } = coldStart({ AWS_LAMBDA_FUNCTION_NAME: 'calendar-hub-unit-auth', AUTH_SECRET: undefined });
    let calls = 0;
    loadSecrets(['AUTH_SECRET'], {
      read: async () => {
        calls += 1;
        if (calls === 1) throw new Error('connect ETIMEDOUT');
        return AUTH;
      },
    });
    await expect(secretsReady()).rejects.toThrow('ETIMEDOUT');
    await secretsReady();
    expect(secret('AUTH_SECRET')).toBe(AUTH);
    expect(calls).toBe(2);
  });
});

describe('configuration on AWS', () => {
  it('attack: refuses to start without KMS_KEY_ID, whatever TOKEN_ENCRYPTION_KEY says', () => {
    const { getConfig } = coldStart({ AWS_LAMBDA_FUNCTION_NAME: 'calendar-hub-prod-google', IS_OFFLINE: undefined, KMS_KEY_ID: undefined, TOKEN_ENCRYPTION_KEY: Buffer.alloc(32).toString('base64') });
    expect(() => getConfig()).toThrow(/KMS_KEY_ID: required on AWS/);
  });

  it('starts with KMS_KEY_ID on AWS, and without it locally (serverless-offline) and outside a function', () => {
    expect(coldStart({ AWS_LAMBDA_FUNCTION_NAME: 'calendar-hub-prod-google', IS_OFFLINE: undefined, KMS_KEY_ID: '1234abcd-12ab-34cd-56ef-1234567890ab' }).getConfig().KMS_KEY_ID).toBe(
      '1234abcd-12ab-34cd-56ef-1234567890ab',
    );
    expect(coldStart({ AWS_LAMBDA_FUNCTION_NAME: 'calendar-hub-local-google', IS_OFFLINE: 'true', KMS_KEY_ID: undefined }).getConfig().KMS_KEY_ID).toBeUndefined();
    expect(coldStart({ AWS_LAMBDA_FUNCTION_NAME: undefined, KMS_KEY_ID: undefined }).getConfig().KMS_KEY_ID).toBeUndefined();
  });
});
