// The dead-letter redrive (npm run dlq:redrive) against the SQS emulator: every message goes back to the source
// queue once, and the dead-letter queue ends empty. The emulator has no move tasks, so this runs the copy path.
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { redriveDeadLetters } from '../../lib/queue/redrive';

const sqs = new SQSClient({ region: 'eu-central-1', endpoint: process.env.SQS_ENDPOINT, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
const run = Date.now().toString(36);

async function create(name: string, attributes: Record<string, string> = {}) {
  return (await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }))).QueueUrl!;
}

it('moves every dead-lettered message back to its queue exactly once and empties the dead-letter queue', async () => {
  expect(process.env.SQS_ENDPOINT).toMatch(/^http:\/\/(127\.0\.0\.1|localhost)/);
  const deadLetterQueueUrl = await create(`redrive-${run}-dlq`);
  const dlqArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: deadLetterQueueUrl, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
  const sourceQueueUrl = await create(`redrive-${run}`, { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 5 }) });
  const bodies = Array.from({ length: 23 }, (_, index) => JSON.stringify({ kind: 'sync', companyId: `c-${index}` }));
  for (const body of bodies) await sqs.send(new SendMessageCommand({ QueueUrl: deadLetterQueueUrl, MessageBody: body }));

  const result = await redriveDeadLetters(sqs, { deadLetterQueueUrl, sourceQueueUrl });

  expect(result).toMatchObject({ method: 'copy', moved: 23 });
  const back: string[] = [];
  for (;;) {
    const page = await sqs.send(new ReceiveMessageCommand({ QueueUrl: sourceQueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }));
    if (!page.Messages?.length) break;
    back.push(...page.Messages.map((message) => message.Body!));
  }
  expect(back.sort()).toEqual([...bodies].sort());
  const left = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: deadLetterQueueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }));
  expect(Number(left.Attributes!.ApproximateNumberOfMessages) + Number(left.Attributes!.ApproximateNumberOfMessagesNotVisible)).toBe(0);
});
