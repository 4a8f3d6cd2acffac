// `npm run dlq:redrive -- --stage <name> [--region <region>]`: moves the sync dead-letter queue's messages back
// to the sync queue (lib/queue/redrive.ts). Locally (`SQS_ENDPOINT` set) it works on the emulator's queues.
import { GetQueueUrlCommand, SQSClient } from '@aws-sdk/client-sqs';
import { redriveDeadLetters } from '../lib/queue/redrive';

function option(name: string, fallback?: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : fallback;
}

async function main() {
  const stage = option('stage', 'local')!;
  const region = option('region', process.env.AWS_REGION ?? 'eu-central-1')!;
  const endpoint = process.env.SQS_ENDPOINT || undefined;
  const sqs = new SQSClient({ region, ...(endpoint ? { endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}) });
  // The names serverless.yml gives the queues (custom.syncQueueName / syncDeadLetterQueueName).
  const url = async (name: string) => (await sqs.send(new GetQueueUrlCommand({ QueueName: name }))).QueueUrl!;
  const queues = { sourceQueueUrl: await url(`calendar-hub-${stage}-sync`), deadLetterQueueUrl: await url(`calendar-hub-${stage}-sync-dlq`) };
  const result = await redriveDeadLetters(sqs, queues);
  console.log(
    result.method === 'move-task'
      ? `Started SQS move task ${result.taskHandle}: ${result.moved} messages moved back to ${queues.sourceQueueUrl} so far`
      : `Moved ${result.moved} messages back to ${queues.sourceQueueUrl}`,
  );
}

main().catch((error) => {
  console.error(`dlq:redrive failed: ${(error as Error).message}`);
  process.exit(1);
});
