// Moves dead-lettered messages back to the queue they came from: SQS's own StartMessageMoveTask on AWS (it keeps
// attributes and runs server-side); where the endpoint has no move tasks (the local emulator), by hand: each
// message is sent to the source first and deleted from the dead-letter queue only once the send succeeded.
import {
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ListMessageMoveTasksCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  type SQSClient,
  StartMessageMoveTaskCommand,
} from '@aws-sdk/client-sqs';

export type RedriveResult = { method: 'move-task' | 'copy'; moved: number; taskHandle?: string };

async function queueArn(sqs: SQSClient, queueUrl: string): Promise<string> {
  const reply = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }));
  const arn = reply.Attributes?.QueueArn;
  if (!arn) throw new Error(`No ARN for ${queueUrl}`);
  return arn;
}

const unsupported = (error: unknown) => {
  const name = (error as { name?: string; Code?: string })?.name ?? '';
  return /UnsupportedOperation|InvalidAction|UnknownOperation|NotImplemented|InvalidParameterValue/i.test(name) ||
    /not (implemented|supported)|unknown (operation|action)/i.test((error as Error)?.message ?? '');
};

/** Starts a move task and waits until SQS reports it finished (or `waitMs` passed). */
async function moveWithTask(sqs: SQSClient, deadLetterArn: string, sourceArn: string, waitMs: number): Promise<RedriveResult> {
  const started = await sqs.send(new StartMessageMoveTaskCommand({ SourceArn: deadLetterArn, DestinationArn: sourceArn }));
  const deadline = Date.now() + waitMs;
  for (;;) {
    const tasks = await sqs.send(new ListMessageMoveTasksCommand({ SourceArn: deadLetterArn, MaxResults: 1 }));
    const task = tasks.Results?.find((entry) => entry.TaskHandle === started.TaskHandle) ?? tasks.Results?.[0];
    if (task?.Status === 'FAILED') throw new Error(`The move task failed: ${task.FailureReason ?? 'no reason given'}`);
    if (task?.Status === 'COMPLETED' || Date.now() > deadline) {
      return { method: 'move-task', moved: Number(task?.ApproximateNumberOfMessagesMoved ?? 0), taskHandle: started.TaskHandle };
    }
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
}

/** Receive, send to the source, then delete: a crash in between duplicates a message, never loses one. */
async function moveByCopy(sqs: SQSClient, deadLetterUrl: string, sourceUrl: string): Promise<RedriveResult> {
  let moved = 0;
  for (;;) {
    const received = await sqs.send(new ReceiveMessageCommand({ QueueUrl: deadLetterUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0, VisibilityTimeout: 60 }));
    const messages = received.Messages ?? [];
    if (!messages.length) return { method: 'copy', moved };
    const sent = await sqs.send(
      new SendMessageBatchCommand({ QueueUrl: sourceUrl, Entries: messages.map((message, index) => ({ Id: String(index), MessageBody: message.Body ?? '' })) }),
    );
    const delivered = new Set((sent.Successful ?? []).map((entry) => Number(entry.Id)));
    const done = messages.filter((_, index) => delivered.has(index));
    if (done.length) {
      await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: deadLetterUrl, Entries: done.map((message, index) => ({ Id: String(index), ReceiptHandle: message.ReceiptHandle! })) }));
    }
    moved += done.length;
    if (done.length < messages.length) throw new Error(`SQS refused ${messages.length - done.length} messages; they stay in the dead-letter queue`);
  }
}

export async function redriveDeadLetters(
  sqs: SQSClient,
  queues: { deadLetterQueueUrl: string; sourceQueueUrl: string },
  options: { waitMs?: number } = {},
): Promise<RedriveResult> {
  const [deadLetterArn, sourceArn] = await Promise.all([queueArn(sqs, queues.deadLetterQueueUrl), queueArn(sqs, queues.sourceQueueUrl)]);
  try {
    return await moveWithTask(sqs, deadLetterArn, sourceArn, options.waitMs ?? 120_000);
  } catch (error) {
    if (!unsupported(error)) throw error;
    return moveByCopy(sqs, queues.deadLetterQueueUrl, queues.sourceQueueUrl);
  }
}
