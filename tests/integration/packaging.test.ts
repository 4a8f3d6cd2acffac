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
    env: { ...process.env, AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'x', AWS_REGION: 'eu-central-1', SYNC_QUEUE_URL: '', DYNAMODB_ENDPOINT: '', SQS_ENDPOINT: '' },
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

it('bundles each route group into its own small minified zip with HTTP API routes', () => {
  const routes = ofType('AWS::ApiGatewayV2::Route').map(([, r]) => r.Properties.RouteKey);
  expect(routes).toEqual(expect.arrayContaining(['POST /users', 'POST /auth/login', 'GET /users/me', 'PATCH /users/me', 'GET /users/{userId}', 'GET /health', 'GET /openapi.json']));
  const zips = readdirSync(outDir).filter((name) => name.endsWith('.zip'));
  expect(zips).toEqual(expect.arrayContaining(['users.zip', 'auth.zip', 'meta.zip']));
  for (const zip of zips) expect(statSync(join(outDir, zip)).size).toBeLessThan(2_000_000);
  const functions = ofType('AWS::Lambda::Function').map(([, r]) => r.Properties);
  for (const fn of functions) expect(fn.Runtime).toBe('nodejs22.x');
});
