// Secrets on AWS: loadSecrets' SSM source speaks Parameter Store's protocol (GetParameter, decrypted, signed), here
// against a local HTTP stand-in for SSM; the values the environment holds win and never reach SSM.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseConfig } from '../../lib/config';
import { secretSourceFromConfig } from '../../lib/load-secrets';
import { createSsmParameterReader } from '../../lib/ssm-parameters';

type Call = { target?: string; authorization?: string; body: { Name?: string; WithDecryption?: boolean } };

const STORED: Record<string, string> = { '/calendar-hub/it/auth-secret': 'b'.repeat(48) };
const calls: Call[] = [];
let server: Server;
let endpoint: string;
const saved = { ...process.env };

async function bodyOf(request: IncomingMessage): Promise<string> {
  let text = '';
  for await (const chunk of request) text += chunk;
  return text;
}

beforeAll(async () => {
  Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'AKIDLOCAL', AWS_SECRET_ACCESS_KEY: 'local-secret', AWS_SESSION_TOKEN: '' });
  server = createServer(async (request, response) => {
    const body = JSON.parse(await bodyOf(request)) as Call['body'];
    calls.push({ target: request.headers['x-amz-target'] as string, authorization: request.headers.authorization, body });
    const value = body.Name === undefined ? undefined : STORED[body.Name];
    response.setHeader('content-type', 'application/x-amz-json-1.1');
    if (value === undefined) {
      response.statusCode = 400;
      response.end(JSON.stringify({ __type: 'ParameterNotFound', message: `${body.Name} not found` }));
      return;
    }
    response.end(JSON.stringify({ Parameter: { Name: body.Name, Type: 'SecureString', Value: value, Version: 1 } }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
  Object.assign(process.env, saved);
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  calls.length = 0;
});

describe('SSM secrets', () => {
  it('reads a SecureString with GetParameter, decrypted, in a signed request', async () => {
    const read = createSsmParameterReader({ region: 'eu-central-1', endpoint });
    await expect(read('/calendar-hub/it/auth-secret')).resolves.toBe('b'.repeat(48));
    expect(calls).toHaveLength(1);
    expect(calls[0].target).toBe('AmazonSSM.GetParameter');
    expect(calls[0].body).toEqual({ Name: '/calendar-hub/it/auth-secret', WithDecryption: true });
    expect(calls[0].authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDLOCAL\/\d{8}\/eu-central-1\/ssm\/aws4_request/);
  });

  it('a parameter that does not exist fails the read (the cold start reports it), it is not an empty secret', async () => {
    const read = createSsmParameterReader({ region: 'eu-central-1', endpoint });
    await expect(read('/calendar-hub/it/missing')).rejects.toMatchObject({ name: 'ParameterNotFound' });
  });

  it('the source reads SSM only for a secret the environment does not hold, by the parameter its variable names', async () => {
    Object.assign(process.env, { AUTH_SECRET: '', AUTH_SECRET_PARAMETER: '/calendar-hub/it/auth-secret', GOOGLE_CLIENT_SECRET: 'from-env' });
    const source = secretSourceFromConfig(parseConfig(process.env), createSsmParameterReader({ region: 'eu-central-1', endpoint }));
    await expect(source.read('GOOGLE_CLIENT_SECRET')).resolves.toBe('from-env');
    expect(calls).toHaveLength(0);
    await expect(source.read('AUTH_SECRET')).resolves.toBe('b'.repeat(48));
    expect(calls.map((call) => call.body.Name)).toEqual(['/calendar-hub/it/auth-secret']);
  });
});
