// One IAM role per function, with only the actions its code calls (serverless.yml: each function's `role:`).
// The table below is the whole policy: read it as "this function may ...". Built in JS rather than written out in
// YAML because fifteen roles of the same five statement shapes hide a wrong line; every role here is derived the
// same way from one row. tests/integration/packaging.test.ts checks the result in the packaged template.
//
//   table        'read' (GetItem, BatchGetItem, Query, ConditionCheckItem) or 'write' (read plus PutItem,
//                UpdateItem, DeleteItem, BatchWriteItem); transactions are authorized per item action.
//                The table and its indexes only.
//   queue        'send' (SendMessage) or 'consume' (the SQS trigger: Receive/Delete/GetQueueAttributes, plus
//                ChangeMessageVisibility for the retry delay and SendMessage for deferred syncs); the sync queue only.
//   tokens       'decrypt' (reads Google refresh tokens) or 'encrypt' (stores them too): the token KMS key only.
//   secrets      the SSM SecureStrings it reads at cold start (lib/secrets.ts); the same names as its handler's
//                loadSecrets([...]). The parameters use the AWS managed key aws/ssm, which SSM decrypts for a
//                caller allowed ssm:GetParameter: no kms:Decrypt is granted for them.
//   mail         'send' (ses:SendEmail, ses:SendRawEmail): the MAIL_FROM identity only (infra/resources/mail.yml),
//                and only with that address as the sender (condition ses:FromAddress).
// Every role may write its own log group, and X-Ray segments when provider.tracing.lambda is on.
const ACCESS = {
  meta: {},
  web: {},
  // Write: logout and a rehash on sign-in update the user; sign-in failures are counted (rate limits).
  auth: { table: 'write', secrets: ['AUTH_SECRET'] },
  users: { table: 'write', tokens: 'decrypt', secrets: ['AUTH_SECRET', 'GOOGLE_CLIENT_SECRET'] },
  events: { table: 'write', queue: 'send', secrets: ['AUTH_SECRET'] },
  eventTypes: { table: 'write', secrets: ['AUTH_SECRET'] },
  book: { table: 'write', queue: 'send' },
  bookings: { table: 'write', queue: 'send', secrets: ['AUTH_SECRET'] },
  notifications: { table: 'read', secrets: ['AUTH_SECRET'] },
  reminders: { table: 'write' },
  companies: { table: 'write', queue: 'send', tokens: 'decrypt', secrets: ['AUTH_SECRET', 'GOOGLE_CLIENT_SECRET'] },
  google: { table: 'write', tokens: 'encrypt', secrets: ['AUTH_SECRET', 'GOOGLE_CLIENT_SECRET'] },
  syncDispatcher: { table: 'write', queue: 'send' },
  // AUTH_SECRET: the key of our Google event ids (write-back), not bearer tokens.
  syncWorker: { table: 'write', queue: 'consume', tokens: 'decrypt', secrets: ['AUTH_SECRET', 'GOOGLE_CLIENT_SECRET'] },
  googleWebhook: { table: 'write', queue: 'send' },
  channelRenewal: { table: 'write', tokens: 'decrypt', secrets: ['GOOGLE_CLIENT_SECRET'] },
  // Write: claims and marks outbox items.
  mailSender: { table: 'write', mail: 'send' },
};

const TABLE_ACTIONS = {
  read: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:ConditionCheckItem'],
  write: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:ConditionCheckItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'],
};
const QUEUE_ACTIONS = {
  send: ['sqs:SendMessage'],
  consume: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:ChangeMessageVisibility', 'sqs:SendMessage'],
};
const MAIL_ACTIONS = { send: ['ses:SendEmail', 'ses:SendRawEmail'] };
const TOKEN_ACTIONS = { decrypt: ['kms:Decrypt'], encrypt: ['kms:Decrypt', 'kms:Encrypt'] };

/** `book` -> `BookLambdaRole` (the name each function's `role:` in serverless.yml gives). */
// ARNs are joined, not Fn::Sub: `${AWS::Region}` would read as a Serverless variable.
const arn = (service, resource) => ({
  'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:${service}:`, { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, `:${resource}`]],
});
const roleName = (fn) => `${fn[0].toUpperCase()}${fn.slice(1)}LambdaRole`;

module.exports = async ({ resolveConfigurationProperty, resolveVariable }) => {
  const service = await resolveConfigurationProperty(['service']);
  const stage = await resolveVariable('sls:stage');
  const environment = (await resolveConfigurationProperty(['provider', 'environment'])) || {};
  const tracing = await resolveConfigurationProperty(['provider', 'tracing']);
  // The key id in the environment when one is given (KMS_KEY_ID at deploy), otherwise the stack's own key (keys.yml).
  const tokenKey = process.env.KMS_KEY_ID
    ? arn('kms', `key/${process.env.KMS_KEY_ID}`)
    : { 'Fn::GetAtt': ['TokenKey', 'Arn'] };
  const parameterArn = (secret) => {
    const name = environment[`${secret}_PARAMETER`];
    if (typeof name !== 'string' || !name.startsWith('/')) throw new Error(`provider.environment.${secret}_PARAMETER must name the SSM parameter (a path)`);
    return arn('ssm', `parameter${name}`);
  };

  const Resources = {};
  for (const [fn, access] of Object.entries(ACCESS)) {
    const statements = [
      {
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: arn('logs', `log-group:/aws/lambda/${service}-${stage}-${fn}:*`),
      },
    ];
    if (access.table) {
      statements.push({
        Effect: 'Allow',
        Action: TABLE_ACTIONS[access.table],
        Resource: [{ 'Fn::GetAtt': ['CalendarTable', 'Arn'] }, { 'Fn::Join': ['/', [{ 'Fn::GetAtt': ['CalendarTable', 'Arn'] }, 'index', '*']] }],
      });
    }
    if (access.queue) statements.push({ Effect: 'Allow', Action: QUEUE_ACTIONS[access.queue], Resource: [{ 'Fn::GetAtt': ['SyncQueue', 'Arn'] }] });
    if (access.tokens) statements.push({ Effect: 'Allow', Action: TOKEN_ACTIONS[access.tokens], Resource: [tokenKey] });
    if (access.mail) {
      const from = environment.MAIL_FROM;
      if (typeof from !== 'string' || !from.includes('@')) throw new Error('provider.environment.MAIL_FROM must be the sender address');
      statements.push({
        Effect: 'Allow',
        Action: MAIL_ACTIONS[access.mail],
        Resource: [arn('ses', `identity/${from}`)],
        Condition: { StringEquals: { 'ses:FromAddress': from } },
      });
    }
    if (access.secrets?.length) statements.push({ Effect: 'Allow', Action: ['ssm:GetParameter'], Resource: access.secrets.map(parameterArn) });
    // X-Ray takes no resource-level permissions: '*' is the only Resource it accepts.
    if (tracing?.lambda) statements.push({ Effect: 'Allow', Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], Resource: '*' });

    Resources[roleName(fn)] = {
      Type: 'AWS::IAM::Role',
      Properties: {
        AssumeRolePolicyDocument: {
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: { Service: ['lambda.amazonaws.com'] }, Action: ['sts:AssumeRole'] }],
        },
        Policies: [{ PolicyName: `${fn}-least-privilege`, PolicyDocument: { Version: '2012-10-17', Statement: statements } }],
      },
    };
  }
  return { Resources };
};
