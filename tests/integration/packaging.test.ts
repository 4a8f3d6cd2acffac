// `serverless package` produces the CloudFormation template offline; check what AWS would get.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
let template: { Resources: Record<string, { Type: string; Properties: any }> };
let outDir: string;

beforeAll(() => {
  outDir = mkdtempSync(join(tmpdir(), 'calendar-hub-package-'));
  execFileSync(process.execPath, [join(root, 'node_modules/osls/bin/serverless.js'), 'package', '--stage', 'pkgtest', '--package', outDir], {
    cwd: root,
    env: { ...process.env, AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'x', AWS_REGION: 'eu-central-1', SYNC_QUEUE_URL: '', DYNAMODB_ENDPOINT: '', SQS_ENDPOINT: '', ESBUILD_WORK_FOLDER: `.esbuild-package-${process.pid}` },
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
  expect(table.TableName).toBe('calendar-hub-pkgtest');
});

it('deploys the sync queue with a dead-letter queue after 5 receives', () => {
  const queues = Object.fromEntries(ofType('AWS::SQS::Queue'));
  expect(queues.SyncQueue.Properties.RedrivePolicy).toEqual({ deadLetterTargetArn: { 'Fn::GetAtt': ['SyncDeadLetterQueue', 'Arn'] }, maxReceiveCount: 5 });
  expect(Number(queues.SyncQueue.Properties.VisibilityTimeout)).toBeGreaterThanOrEqual(6 * 120);
});

it('grants item-level DynamoDB actions on this table only, never a wildcard', () => {
  const role = ofType('AWS::IAM::Role')[0][1].Properties;
  const statements = role.Policies.flatMap((policy: any) => policy.PolicyDocument.Statement);
  const dynamo = statements.filter((s: any) => [s.Action].flat().some((a: string) => a.startsWith('dynamodb:')));
  expect(dynamo).toHaveLength(1);
  expect(dynamo[0].Action).not.toContain('dynamodb:*');
  expect(dynamo[0].Action).not.toContain('dynamodb:Scan');
  expect(JSON.stringify(dynamo[0].Resource)).toContain('CalendarTable');
  for (const statement of statements) expect(statement.Resource).not.toEqual('*');
});

it('lets the functions send to the sync queue and change the visibility of its messages (the retry delay), on that queue only', () => {
  const role = ofType('AWS::IAM::Role')[0][1].Properties;
  const statements = role.Policies.flatMap((policy: any) => policy.PolicyDocument.Statement);
  const ours = statements.filter((s: any) => [s.Action].flat().includes('sqs:ChangeMessageVisibility'));
  expect(ours).toHaveLength(1);
  expect([ours[0].Action].flat().sort()).toEqual(['sqs:ChangeMessageVisibility', 'sqs:SendMessage']);
  expect(ours[0].Resource).toEqual([{ 'Fn::GetAtt': ['SyncQueue', 'Arn'] }]);
  expect(statements.some((s: any) => [s.Action].flat().includes('sqs:*'))).toBe(false);
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
