// CloudWatch alarms for serverless.yml (`${file(infra/alarms.js):resources}`), all to one SNS topic whose
// e-mail subscriber is ALARM_EMAIL (no subscriber when empty). What each alarm means and what to do: README, "Runbook".
//   SyncDeadLetterMessages   a sync message failed five times and sits in the dead-letter queue
//   <Function>Errors         a function ended in an error (any, in 5 minutes)
//   <Function>Throttles      Lambda refused to run a function (concurrency exhausted)
//   SyncLag                  an enabled calendar has had no successful sync for 3 x UPDATE_FREQUENCY (or the
//                            dispatcher that reports it stopped running): metric OldestSyncAgeSeconds
//   MailDeadLettered         an outbox mail failed six times (or could not be read) and is dead: the mail sender's
//                            log line `mail dead-lettered` (with the outbox id and the error), counted by a filter
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
const { parse } = require('yaml');

const NAMESPACE = 'CalendarHub';
const SERVICE = 'calendar-hub';

/** Serverless' own logical id part for a function key: `syncWorker` -> `SyncWorker` (- and _ spelled out). */
const logicalName = (name) => name.charAt(0).toUpperCase() + name.slice(1).replace(/-/g, 'Dash').replace(/_/g, 'Underscore');

function functionNames() {
  // Read from the YAML itself: resolving self:functions here would be circular.
  const doc = parse(readFileSync(join(__dirname, '..', 'serverless.yml'), 'utf8'), { logLevel: 'silent', customTags: [] });
  return Object.keys(doc.functions ?? {});
}

function alarm(description, metric, extra = {}) {
  return {
    Type: 'AWS::CloudWatch::Alarm',
    Properties: {
      AlarmDescription: description,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      EvaluationPeriods: 1,
      Threshold: 1,
      Period: 300,
      Statistic: 'Sum',
      TreatMissingData: 'notBreaching',
      AlarmActions: [{ Ref: 'AlarmTopic' }],
      OKActions: [{ Ref: 'AlarmTopic' }],
      ...metric,
      ...extra,
    },
  };
}

module.exports.resources = async ({ options } = {}) => {
  const stage = (options && options.stage) || 'dev';
  const updateFrequency = Number(process.env.UPDATE_FREQUENCY || 120);
  const email = process.env.ALARM_EMAIL || '';
  const Resources = {
    AlarmTopic: {
      Type: 'AWS::SNS::Topic',
      Properties: {
        TopicName: `${SERVICE}-${stage}-alarms`,
        ...(email ? { Subscription: [{ Protocol: 'email', Endpoint: email }] } : {}),
      },
    },
    SyncDeadLetterMessagesAlarm: alarm('Sync messages are in the dead-letter queue (failed five times); see the README runbook', {
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': ['SyncDeadLetterQueue', 'QueueName'] } }],
      Statistic: 'Maximum',
    }),
    SyncLagAlarm: alarm(`An enabled calendar has not synced for ${3 * updateFrequency} s (3 x UPDATE_FREQUENCY), or the dispatcher stopped reporting`, {
      Namespace: NAMESPACE,
      MetricName: 'OldestSyncAgeSeconds',
      Dimensions: [{ Name: 'service', Value: SERVICE }],
      Statistic: 'Maximum',
      Threshold: 3 * updateFrequency,
      Period: Math.max(60, Math.ceil(updateFrequency / 60) * 60),
      EvaluationPeriods: 3,
      // No data means the dispatcher is not running: that is lag too.
      TreatMissingData: 'breaching',
    }),
    // Powertools writes JSON lines: the filter counts the sender's dead-letter line (lib/mail-outbox/deliver-mail.ts).
    MailDeadLetteredMetricFilter: {
      Type: 'AWS::Logs::MetricFilter',
      Properties: {
        LogGroupName: { Ref: 'MailSenderLogGroup' },
        FilterPattern: '{ $.message = "mail dead-lettered" }',
        MetricTransformations: [{ MetricNamespace: NAMESPACE, MetricName: 'MailDeadLettered', MetricValue: '1', Unit: 'Count' }],
      },
    },
    MailDeadLetteredAlarm: alarm('An outbox mail is dead (six failed sends); its id and error are in the mailSender log; see the README runbook', {
      Namespace: NAMESPACE,
      MetricName: 'MailDeadLettered',
    }),
  };
  for (const name of functionNames()) {
    for (const metric of ['Errors', 'Throttles']) {
      Resources[`${logicalName(name)}${metric}Alarm`] = alarm(`${name}: Lambda ${metric.toLowerCase()}; see the README runbook`, {
        Namespace: 'AWS/Lambda',
        MetricName: metric,
        // A reference, not a spelled-out name: the alarm follows the function and CloudFormation orders them.
        Dimensions: [{ Name: 'FunctionName', Value: { Ref: `${logicalName(name)}LambdaFunction` } }],
      });
    }
  }
  return { Resources, Outputs: { AlarmTopicArn: { Value: { Ref: 'AlarmTopic' } } } };
};
