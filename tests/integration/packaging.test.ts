// `serverless package` produces the CloudFormation template offline; check what AWS would get.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const root = join(__dirname, '..', '..');
const LOCAL_ONLY = ['PUBLIC_BASE_URL', 'OAUTH_REDIRECT_URI', 'WEBHOOK_BASE_URL', 'KMS_KEY_ID'];
// Secret values in the deployer's environment at packaging time: none may reach the template.
const CANARIES = {
  AUTH_SECRET: 'canary-auth-secret-4b1d9e0c7a3f8e2d6c5b4a39',
  GOOGLE_CLIENT_SECRET: 'canary-google-client-secret-77d0',
  TOKEN_ENCRYPTION_KEY: 'canary-token-key-Zm9vYmFyYmF6cXV4',
};
let template: { Resources: Record<string, { Type: string; Properties: any; [attribute: string]: any }>; Outputs: Record<string, any> };
let outDir: string;

beforeAll(() => {
  outDir = mkdtempSync(join(tmpdir(), 'calendar-hub-package-'));
  execFileSync(process.execPath, [join(root, 'node_modules/osls/bin/serverless.js'), 'package', '--stage', 'prod', '--package', outDir], {
    cwd: root,
    env: {
      // As a deployer's shell would be: no local stack's URLs or keys (they would stand in for the stack's own).
      ...Object.fromEntries(Object.entries(process.env).filter(([name]) => !LOCAL_ONLY.includes(name))),
      ...CANARIES,
      AWS_ACCESS_KEY_ID: 'x',
      AWS_SECRET_ACCESS_KEY: 'x',
      AWS_REGION: 'eu-central-1',
      ALARM_EMAIL: 'oncall@example.com',
      UPDATE_FREQUENCY: '120',
      SYNC_QUEUE_URL: '',
      DYNAMODB_ENDPOINT: '',
      SQS_ENDPOINT: '',
      SES_ENDPOINT: '',
      ESBUILD_WORK_FOLDER: `.esbuild-package-${process.pid}`,
    },
    stdio: 'pipe',
  });
  template = JSON.parse(readFileSync(join(outDir, 'cloudformation-template-update-stack.json'), 'utf8'));
}, 120_000);

const ofType = (type: string) => Object.entries(template.Resources).filter(([, r]) => r.Type === type);

it('deploys one table with pk/sk, gsi1, TTL on expiresAt, point-in-time recovery and encryption', () => {
  const tables = ofType('AWS::DynamoDB::Table');
  expect(tables).toHaveLength(1);
  const table = tables[0][1].Properties;
  expect(table.KeySchema).toEqual([{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }]);
  expect(table.GlobalSecondaryIndexes.map((index: { IndexName: string }) => index.IndexName)).toContain('gsi1');
  expect(table.TimeToLiveSpecification).toEqual({ AttributeName: 'expiresAt', Enabled: true });
  expect(table.PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled).toBe(true);
  expect(table.SSESpecification.SSEEnabled).toBe(true);
  expect(table.TableName).toBe('calendar-hub-prod');
});

it('deploys the sync queue with a dead-letter queue after 5 receives', () => {
  const queues = Object.fromEntries(ofType('AWS::SQS::Queue'));
  expect(queues.SyncQueue.Properties.RedrivePolicy).toEqual({ deadLetterTargetArn: { 'Fn::GetAtt': ['SyncDeadLetterQueue', 'Arn'] }, maxReceiveCount: 5 });
  expect(Number(queues.SyncQueue.Properties.VisibilityTimeout)).toBeGreaterThanOrEqual(6 * 120);
});

type Statement = { Effect: string; Action: string | string[]; Resource: unknown };
const functionsById = () => Object.fromEntries(ofType('AWS::Lambda::Function'));
/** The function's key in serverless.yml (`syncWorker`) from its logical id (`SyncWorkerLambdaFunction`). */
const functionKey = (logicalId: string) => `${logicalId[0].toLowerCase()}${logicalId.slice(1)}`.replace(/LambdaFunction$/, '');
function statementsOf(fn: string): Statement[] {
  const roleRef = functionsById()[`${fn[0].toUpperCase()}${fn.slice(1)}LambdaFunction`].Properties.Role;
  const role = template.Resources[roleRef['Fn::GetAtt'][0]];
  return role.Properties.Policies.flatMap((policy: any) => policy.PolicyDocument.Statement);
}
const actionsOf = (fn: string, prefix: string) => statementsOf(fn).flatMap((s) => [s.Action].flat()).filter((a) => a.startsWith(prefix)).sort();
const resourcesOf = (fn: string, prefix: string) => statementsOf(fn).filter((s) => [s.Action].flat().some((a) => a.startsWith(prefix))).flatMap((s) => [s.Resource].flat());

const READ = ['dynamodb:BatchGetItem', 'dynamodb:ConditionCheckItem', 'dynamodb:GetItem', 'dynamodb:Query'];
const WRITE = [...READ, 'dynamodb:BatchWriteItem', 'dynamodb:DeleteItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'].sort();
const SEND = ['sqs:SendMessage'];
const CONSUME = ['sqs:ChangeMessageVisibility', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:ReceiveMessage', 'sqs:SendMessage'];
const AUTH = '/calendar-hub/prod/auth-secret';
const GOOGLE = '/calendar-hub/prod/google-client-secret';
/** What each function's code calls, and so all its role may do (besides writing its own log group). */
const MAIL_SEND = ['ses:SendEmail', 'ses:SendRawEmail'];
const EXPECTED: Record<string, { dynamodb?: string[]; sqs?: string[]; kms?: string[]; parameters?: string[]; ses?: string[] }> = {
  meta: {},
  web: {},
  auth: { dynamodb: WRITE, parameters: [AUTH] },
  users: { dynamodb: WRITE, kms: ['kms:Decrypt'], parameters: [AUTH, GOOGLE] },
  events: { dynamodb: WRITE, sqs: SEND, parameters: [AUTH] },
  eventTypes: { dynamodb: WRITE, parameters: [AUTH] },
  book: { dynamodb: WRITE, sqs: SEND },
  bookings: { dynamodb: WRITE, sqs: SEND, parameters: [AUTH] },
  notifications: { dynamodb: READ, parameters: [AUTH] },
  reminders: { dynamodb: WRITE },
  companies: { dynamodb: WRITE, sqs: SEND, kms: ['kms:Decrypt'], parameters: [AUTH, GOOGLE] },
  google: { dynamodb: WRITE, kms: ['kms:Decrypt', 'kms:Encrypt'], parameters: [AUTH, GOOGLE] },
  syncDispatcher: { dynamodb: WRITE, sqs: SEND },
  syncWorker: { dynamodb: WRITE, sqs: CONSUME, kms: ['kms:Decrypt'], parameters: [AUTH, GOOGLE] },
  googleWebhook: { dynamodb: WRITE, sqs: SEND },
  channelRenewal: { dynamodb: WRITE, kms: ['kms:Decrypt'], parameters: [GOOGLE] },
  mailSender: { dynamodb: WRITE, ses: MAIL_SEND },
};
const parameterName = (resource: any) => JSON.stringify(resource).match(/:parameter(\/[^"]+)"/)?.[1];

it('gives every function a role of its own, and creates no shared role', () => {
  const functions = Object.keys(functionsById()).map(functionKey);
  expect(functions.sort()).toEqual(Object.keys(EXPECTED).sort());
  const roles = Object.values(functionsById()).map((fn) => fn.Properties.Role['Fn::GetAtt'][0]);
  expect(new Set(roles).size).toBe(functions.length);
  expect(template.Resources.IamRoleLambdaExecution).toBeUndefined();
  for (const [, role] of ofType('AWS::IAM::Role')) {
    expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([{ Effect: 'Allow', Principal: { Service: ['lambda.amazonaws.com'] }, Action: ['sts:AssumeRole'] }]);
  }
});

it.each(Object.keys(EXPECTED))('lets %s do only what its code calls', (fn) => {
  const expected = EXPECTED[fn];
  expect(actionsOf(fn, 'dynamodb:')).toEqual(expected.dynamodb ?? []);
  expect(actionsOf(fn, 'sqs:')).toEqual(expected.sqs ?? []);
  expect(actionsOf(fn, 'kms:')).toEqual(expected.kms ?? []);
  expect(actionsOf(fn, 'ses:')).toEqual(expected.ses ?? []);
  expect(actionsOf(fn, 'ssm:')).toEqual(expected.parameters ? ['ssm:GetParameter'] : []);
  expect(resourcesOf(fn, 'ssm:').map(parameterName).sort()).toEqual([...(expected.parameters ?? [])].sort());
  // Nothing else but its own logs (and X-Ray segments, when tracing is on).
  const others = statementsOf(fn).flatMap((s) => [s.Action].flat()).filter((a) => !/^(dynamodb|sqs|kms|ssm|ses):/.test(a));
  expect(new Set(others)).toEqual(new Set([...['logs:CreateLogStream', 'logs:PutLogEvents'], ...others.filter((a) => a.startsWith('xray:Put'))]));
  expect(JSON.stringify(resourcesOf(fn, 'logs:'))).toContain(`log-group:/aws/lambda/calendar-hub-prod-${fn}:*`);
});

it('attack: the public booking, pages, meta and webhook functions can neither decrypt Google tokens nor read a secret parameter', () => {
  for (const fn of ['book', 'web', 'meta', 'googleWebhook']) {
    const actions = statementsOf(fn).flatMap((s) => [s.Action].flat());
    expect(actions.filter((a) => a.startsWith('kms:') || a.startsWith('ssm:') || a.startsWith('secretsmanager:') || a.endsWith('*'))).toEqual([]);
    // Their handlers load no secret either (they could not: the role would refuse).
    expect(loadedSecretsOf(fn)).toEqual([]);
  }
});

it("scopes every statement to this stack's own table and indexes, sync queue, token key, parameters and log group", () => {
  for (const fn of Object.keys(EXPECTED)) {
    for (const statement of statementsOf(fn)) {
      const actions = [statement.Action].flat();
      expect(statement.Effect).toBe('Allow');
      if (actions.every((a) => a.startsWith('xray:'))) continue; // X-Ray accepts no resource but '*'
      expect([statement.Resource].flat()).not.toContain('*');
      // No wildcard over a kind of resource: a log group, key or parameter is always named (a log group's streams may be *).
      expect(JSON.stringify(statement.Resource)).not.toMatch(/log-group:\*|key\/\*|parameter\/\*/);
      if (actions[0].startsWith('dynamodb:')) expect(statement.Resource).toEqual([{ 'Fn::GetAtt': ['CalendarTable', 'Arn'] }, { 'Fn::Join': ['/', [{ 'Fn::GetAtt': ['CalendarTable', 'Arn'] }, 'index', '*']] }]);
      if (actions[0].startsWith('sqs:')) expect(statement.Resource).toEqual([{ 'Fn::GetAtt': ['SyncQueue', 'Arn'] }]);
      if (actions[0].startsWith('kms:')) expect(statement.Resource).toEqual([{ 'Fn::GetAtt': ['TokenKey', 'Arn'] }]);
      if (actions[0].startsWith('ses:')) expect(JSON.stringify(statement.Resource)).toMatch(/:identity\/no-reply@calendar-hub\.test"/);
    }
  }
});

it('lets only the mail sender send mail, as the MAIL_FROM identity the stack declares and with that sender only', () => {
  const senders = Object.keys(EXPECTED).filter((fn) => actionsOf(fn, 'ses:').length);
  expect(senders).toEqual(['mailSender']);
  const [statement] = statementsOf('mailSender').filter((s) => [s.Action].flat().some((a) => a.startsWith('ses:'))) as Array<Statement & { Condition?: unknown }>;
  expect(statement.Condition).toEqual({ StringEquals: { 'ses:FromAddress': 'no-reply@calendar-hub.test' } });
  expect(JSON.stringify(statement.Resource)).not.toContain('*');
  expect(Object.fromEntries(ofType('AWS::SES::EmailIdentity'))).toEqual({ MailFromIdentity: { Type: 'AWS::SES::EmailIdentity', Properties: { EmailIdentity: 'no-reply@calendar-hub.test' } } });
  // Every function is told the sender; none gets an SES endpoint on AWS.
  for (const [, fn] of ofType('AWS::Lambda::Function')) {
    expect(fn.Properties.Environment.Variables.MAIL_FROM).toBe('no-reply@calendar-hub.test');
    expect(fn.Properties.Environment.Variables.SES_ENDPOINT).toBe('');
  }
});

/** The secrets a function reads at cold start: loadSecrets([...]) in its wiring module (lib/wiring), which its handler imports. */
function loadedSecretsOf(fn: string): string[] {
  const handler = functionsById()[`${fn[0].toUpperCase()}${fn.slice(1)}LambdaFunction`].Properties.Handler as string;
  const handlerFile = join(root, `${handler.replace(/\.handler$/, '')}.ts`);
  const wiring = readFileSync(handlerFile, 'utf8').match(/from '([./]+lib\/wiring\/[\w-]+)'/)?.[1];
  const source = wiring ? readFileSync(join(dirname(handlerFile), `${wiring}.ts`), 'utf8') : '';
  const declared = source.match(/loadSecrets\(\[([^\]]*)\]/)?.[1] ?? '';
  return [...declared.matchAll(/'(\w+)'/g)].map((match) => match[1]).sort();
}

it('loads in each handler exactly the secrets its role may read, by the parameter names the functions are given', () => {
  const names: Record<string, string> = { [AUTH]: 'AUTH_SECRET', [GOOGLE]: 'GOOGLE_CLIENT_SECRET' };
  for (const fn of Object.keys(EXPECTED)) {
    expect([fn, loadedSecretsOf(fn)]).toEqual([fn, (EXPECTED[fn].parameters ?? []).map((p) => names[p]).sort()]);
    const variables = functionsById()[`${fn[0].toUpperCase()}${fn.slice(1)}LambdaFunction`].Properties.Environment.Variables;
    expect(variables).toMatchObject({ AUTH_SECRET_PARAMETER: AUTH, GOOGLE_CLIENT_SECRET_PARAMETER: GOOGLE });
  }
});

it('attack: no secret value reaches the template, even when the deployer has them in the environment', () => {
  const text = JSON.stringify(template);
  for (const [name, value] of Object.entries(CANARIES)) expect([name, text.includes(value)]).toEqual([name, false]);
  for (const [, fn] of ofType('AWS::Lambda::Function')) {
    const variables = Object.keys(fn.Properties.Environment.Variables);
    for (const name of ['AUTH_SECRET', 'GOOGLE_CLIENT_SECRET', 'TOKEN_ENCRYPTION_KEY']) expect(variables).not.toContain(name);
  }
});

it("encrypts Google tokens with the stack's own KMS key (rotated, kept when the stack goes), which every function is told", () => {
  const key = template.Resources.TokenKey;
  expect(key).toMatchObject({ Type: 'AWS::KMS::Key', DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain', Properties: { EnableKeyRotation: true } });
  for (const [, fn] of ofType('AWS::Lambda::Function')) expect(fn.Properties.Environment.Variables.KMS_KEY_ID).toEqual({ Ref: 'TokenKey' });
});

it('takes the public base URL, the OAuth redirect URI and the webhook URL from the stack itself, with no cycle', () => {
  const apiUrl = { 'Fn::Join': ['', ['https://', { Ref: 'HttpApi' }, '.execute-api.', { Ref: 'AWS::Region' }, '.', { Ref: 'AWS::URLSuffix' }]] };
  const functions = functionsById();
  for (const [id, fn] of Object.entries(functions)) {
    const variables = fn.Properties.Environment.Variables;
    expect([id, variables.PUBLIC_BASE_URL]).toEqual([id, apiUrl]);
    expect([id, variables.OAUTH_REDIRECT_URI]).toEqual([id, { 'Fn::Join': ['', [...apiUrl['Fn::Join'][1], '/oauth/google/callback']] }]);
  }
  // Only the functions that open push channels are told the webhook's function URL; the webhook itself cannot be.
  const told = Object.entries(functions).filter(([, fn]) => fn.Properties.Environment.Variables.WEBHOOK_BASE_URL).map(([id]) => id).sort();
  expect(told).toEqual(['ChannelRenewalLambdaFunction', 'CompaniesLambdaFunction']);
  for (const id of told) expect(functions[id].Properties.Environment.Variables.WEBHOOK_BASE_URL).toEqual({ 'Fn::GetAtt': ['GoogleWebhookLambdaFunctionUrl', 'FunctionUrl'] });
  expect(JSON.stringify(functions.GoogleWebhookLambdaFunction)).not.toContain('GoogleWebhookLambdaFunctionUrl');
  expect(JSON.stringify(template.Resources.HttpApi)).not.toMatch(/LambdaFunction/);
  expect(template.Outputs.OAuthRedirectUri.Value).toEqual({ 'Fn::Join': ['', [...apiUrl['Fn::Join'][1], '/oauth/google/callback']] });
});

it("allows CORS for the console's own origin only, never *", () => {
  // Packaged without PUBLIC_BASE_URL the console is the API's own origin: no CORS at all.
  expect(template.Resources.HttpApi.Properties.CorsConfiguration).toBeUndefined();
  expect(JSON.stringify(template)).not.toContain('"AllowOrigins":["*"]');
  // With a console elsewhere, that origin and nothing else (infra/http-cors.js, as serverless.yml calls it).
  const { cors } = require(join(root, 'infra/http-cors.js'));
  const previous = process.env.PUBLIC_BASE_URL;
  process.env.PUBLIC_BASE_URL = 'https://console.example.test/app/';
  try {
    expect(cors()).toMatchObject({ allowedOrigins: ['https://console.example.test'], allowCredentials: false });
  } finally {
    if (previous === undefined) delete process.env.PUBLIC_BASE_URL;
    else process.env.PUBLIC_BASE_URL = previous;
  }
});

it('bundles each route group into its own small minified zip with HTTP API routes', () => {
  const routes = ofType('AWS::ApiGatewayV2::Route').map(([, r]) => r.Properties.RouteKey);
  expect(routes).toEqual(expect.arrayContaining(['POST /users', 'POST /auth/login', 'GET /users/me', 'PATCH /users/me', 'GET /users/{userId}', 'GET /health', 'GET /openapi.json']));
  const zips = readdirSync(outDir).filter((name) => name.endsWith('.zip'));
  expect(zips).toEqual(expect.arrayContaining(['users.zip', 'auth.zip', 'meta.zip']));
  for (const zip of zips) expect(statSync(join(outDir, zip)).size).toBeLessThan(2_000_000);
  const functions = ofType('AWS::Lambda::Function').map(([, r]) => r.Properties);
  for (const fn of functions) expect(fn.Runtime).toBe('nodejs22.x');
});

/** File names in a zip, from its central directory (no unzip tool needed). */
function zipEntries(file: string): string[] {
  const zip = readFileSync(file);
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const names: string[] = [];
  for (let at = zip.readUInt32LE(end + 16), left = zip.readUInt16LE(end + 10); left > 0; left -= 1) {
    const nameLength = zip.readUInt16LE(at + 28);
    names.push(zip.toString('utf8', at + 46, at + 46 + nameLength));
    at += 46 + nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
  }
  return names;
}

it('ships no source maps to AWS: no .map file in any zip, no --enable-source-maps (the local stack keeps both)', () => {
  for (const zip of readdirSync(outDir).filter((name) => name.endsWith('.zip'))) {
    expect({ zip, maps: zipEntries(join(outDir, zip)).filter((name) => name.endsWith('.map')) }).toEqual({ zip, maps: [] });
  }
  for (const [, fn] of ofType('AWS::Lambda::Function')) expect(String(fn.Properties.Environment?.Variables?.NODE_OPTIONS ?? '')).not.toContain('--enable-source-maps');
});

it('ships the built pages (web/dist) in the web function and only there, behind GET /app and /app/{proxy+}', () => {
  const routes = ofType('AWS::ApiGatewayV2::Route').map(([, r]) => r.Properties.RouteKey);
  expect(routes).toEqual(expect.arrayContaining(['GET /', 'GET /app', 'GET /app/{proxy+}']));
  const web = zipEntries(join(outDir, 'web.zip'));
  expect(web).toEqual(expect.arrayContaining(['functions/http/web.js', 'web/dist/index.html', 'web/dist/book.html']));
  expect(web.some((name) => /^web\/dist\/assets\/admin-[\w-]+\.js$/.test(name))).toBe(true);
  expect(web.some((name) => /^web\/dist\/assets\/book-[\w-]+\.js$/.test(name))).toBe(true);
  expect(zipEntries(join(outDir, 'users.zip')).some((name) => name.startsWith('web/'))).toBe(false);
});

it('triggers the sync worker from the sync queue with partial batch responses, and the dispatcher on a schedule', () => {
  const functions = Object.fromEntries(ofType('AWS::Lambda::Function'));
  const [mapping] = ofType('AWS::Lambda::EventSourceMapping').map(([, r]) => r.Properties).filter((p) => JSON.stringify(p.FunctionName).includes('SyncWorker'));
  // maximumConcurrency is MAX_PARALLEL_COMPANY_SYNC but at least 2 (AWS's minimum); the rate is UPDATE_FREQUENCY in minutes.
  const concurrency = Math.max(2, Number(process.env.MAX_PARALLEL_COMPANY_SYNC || 1));
  const minutes = Math.max(1, Math.ceil(Number(process.env.UPDATE_FREQUENCY || 120) / 60));
  expect(mapping).toMatchObject({ EventSourceArn: { 'Fn::GetAtt': ['SyncQueue', 'Arn'] }, FunctionResponseTypes: ['ReportBatchItemFailures'], ScalingConfig: { MaximumConcurrency: concurrency } });
  expect(mapping.BatchSize).toBeGreaterThanOrEqual(1);
  expect(mapping.BatchSize).toBeLessThanOrEqual(10);
  const workerTimeout = functions.SyncWorkerLambdaFunction.Properties.Timeout;
  const queue = Object.fromEntries(ofType('AWS::SQS::Queue')).SyncQueue.Properties;
  expect(Number(queue.VisibilityTimeout)).toBe(6 * workerTimeout);
  const rule = ofType('AWS::Events::Rule').map(([, r]) => r.Properties).find((p) => JSON.stringify(p.Targets).includes('SyncDispatcher'));
  expect(rule).toMatchObject({ ScheduleExpression: minutes === 1 ? 'rate(1 minute)' : `rate(${minutes} minutes)`, State: 'ENABLED' });
  const routes = ofType('AWS::ApiGatewayV2::Route').map(([, r]) => r.Properties.RouteKey);
  expect(routes).toEqual(expect.arrayContaining(['GET /oauth/google/callback', 'PUT /companies/{companyId}/calendars/{calendarId}', 'GET /companies/{companyId}/overlaps']));
});

it('exposes the Google webhook as a function URL (and the httpApi route used locally), and renews channels on a schedule', () => {
  const urls = ofType('AWS::Lambda::Url').map(([, r]) => r.Properties);
  expect(urls).toEqual([expect.objectContaining({ AuthType: 'NONE', TargetFunctionArn: expect.objectContaining({ 'Fn::GetAtt': ['GoogleWebhookLambdaFunction', 'Arn'] }) })]);
  const routes = ofType('AWS::ApiGatewayV2::Route').map(([, r]) => r.Properties.RouteKey);
  expect(routes).toContain('POST /webhooks/google');
  const rule = ofType('AWS::Events::Rule').map(([, r]) => r.Properties).find((p) => JSON.stringify(p.Targets).includes('ChannelRenewal'));
  expect(rule).toMatchObject({ ScheduleExpression: 'rate(1 hour)', State: 'ENABLED' });
});

it('throttles every route of the HTTP API by default and reserves the webhook a bounded concurrency', () => {
  const stages = ofType('AWS::ApiGatewayV2::Stage').map(([, r]) => r.Properties);
  expect(stages).toEqual([expect.objectContaining({ StageName: '$default', DefaultRouteSettings: { ThrottlingRateLimit: 100, ThrottlingBurstLimit: 200 } })]);
  const functions = Object.fromEntries(ofType('AWS::Lambda::Function'));
  expect(functions.GoogleWebhookLambdaFunction.Properties.ReservedConcurrentExecutions).toBe(10);
});

it('passes every rate-limit threshold to the functions from the environment (empty: the defaults in lib/config.ts)', () => {
  const variables = Object.keys(Object.fromEntries(ofType('AWS::Lambda::Function')).AuthLambdaFunction.Properties.Environment.Variables);
  expect(variables).toEqual(
    expect.arrayContaining([
      'RATE_LIMIT_SIGN_IN_FAILURES_PER_ACCOUNT',
      'RATE_LIMIT_SIGN_IN_FAILURES_PER_ADDRESS',
      'RATE_LIMIT_SIGN_UPS_PER_ADDRESS',
      'RATE_LIMIT_BOOKINGS_PER_ADDRESS',
      'RATE_LIMIT_BOOKINGS_PER_LINK',
      'RATE_LIMIT_SYNC_REQUESTS_PER_COMPANY',
      'RATE_LIMIT_NOTIFICATIONS_PER_CHANNEL',
    ]),
  );
});

describe('operations', () => {
  const alarms = () => Object.fromEntries(ofType('AWS::CloudWatch::Alarm'));

  it('sends every alarm to one SNS topic that mails ALARM_EMAIL', () => {
    const topics = ofType('AWS::SNS::Topic');
    expect(topics).toHaveLength(1);
    expect(topics[0][1].Properties.Subscription).toEqual([{ Protocol: 'email', Endpoint: 'oncall@example.com' }]);
    for (const [name, alarm] of Object.entries(alarms())) {
      expect([name, alarm.Properties.AlarmActions]).toEqual([name, [{ Ref: topics[0][0] }]]);
    }
  });

  it('alarms on dead-lettered sync messages and on the sync lag (3 x UPDATE_FREQUENCY, missing data counts)', () => {
    const { SyncDeadLetterMessagesAlarm: dlq, SyncLagAlarm: lag } = alarms();
    expect(dlq.Properties).toMatchObject({ Namespace: 'AWS/SQS', MetricName: 'ApproximateNumberOfMessagesVisible', Threshold: 1 });
    expect(dlq.Properties.Dimensions).toEqual([{ Name: 'QueueName', Value: { 'Fn::GetAtt': ['SyncDeadLetterQueue', 'QueueName'] } }]);
    expect(lag.Properties).toMatchObject({ Namespace: 'CalendarHub', MetricName: 'OldestSyncAgeSeconds', Threshold: 360, TreatMissingData: 'breaching' });
  });

  it('alarms when an outbox mail is dead-lettered, counted from the mail sender log line that names it', () => {
    const all = alarms();
    expect(all.MailDeadLetteredAlarm.Properties).toMatchObject({ Namespace: 'CalendarHub', MetricName: 'MailDeadLettered', Threshold: 1, Statistic: 'Sum' });
    const filter = template.Resources.MailDeadLetteredMetricFilter;
    expect(filter.Properties).toEqual({
      LogGroupName: { Ref: 'MailSenderLogGroup' },
      FilterPattern: '{ $.message = "mail dead-lettered" }',
      MetricTransformations: [{ MetricNamespace: 'CalendarHub', MetricName: 'MailDeadLettered', MetricValue: '1', Unit: 'Count' }],
    });
    expect(template.Resources.MailSenderLogGroup.Type).toBe('AWS::Logs::LogGroup');
  });

  it('alarms on the errors and throttles of every function', () => {
    const all = alarms();
    for (const id of Object.keys(functionsById())) {
      const name = id.replace(/LambdaFunction$/, '');
      for (const metric of ['Errors', 'Throttles']) {
        const alarm = all[`${name}${metric}Alarm`];
        expect([id, metric, alarm?.Properties.MetricName]).toEqual([id, metric, metric]);
        expect(alarm.Properties.Dimensions).toEqual([{ Name: 'FunctionName', Value: { Ref: id } }]);
      }
    }
  });

  it('traces every function with X-Ray (active tracing) and lets its role write the segments', () => {
    for (const [id, fn] of Object.entries(functionsById())) {
      expect([id, fn.Properties.TracingConfig]).toEqual([id, { Mode: 'Active' }]);
    }
    const roles = ofType('AWS::IAM::Role');
    for (const [id, role] of roles) {
      const actions = role.Properties.Policies.flatMap((policy: any) => policy.PolicyDocument.Statement.flatMap((statement: Statement) => [statement.Action].flat()));
      expect([id, actions]).toEqual([id, expect.arrayContaining(['xray:PutTraceSegments'])]);
    }
  });

  it('serves the API reference at GET /docs from the web function', () => {
    const routes = ofType('AWS::ApiGatewayV2::Route').map(([, route]) => route.Properties.RouteKey);
    expect(routes).toEqual(expect.arrayContaining(['GET /docs', 'GET /openapi.json']));
  });
});
