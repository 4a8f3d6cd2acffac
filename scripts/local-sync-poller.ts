// The local stand-in for the SQS event source mapping of the sync worker (serverless-offline has none, and
// serverless-offline-sqs deletes every message of a batch whatever the handler reports, so it cannot honour
// partial batch responses). It long-polls the sync queue in the emulator, invokes the same bundled
// `syncWorker` function through serverless-offline's Lambda invoke API, and deletes only the messages the
// handler did not report in batchItemFailures; the rest reappear when their visibility ends (the worker hides a
// failed one for a short retry delay with ChangeMessageVisibility, reading ApproximateReceiveCount and the
// receipt handle from the record, as on AWS) and reach the dead-letter queue after five receives.
// Concurrency stands in for maximumConcurrency.
import { DeleteMessageBatchCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient, type Message } from '@aws-sdk/client-sqs';

export type LocalSyncPollerOptions = {
  queueUrl: string;
  sqsEndpoint: string;
  region: string;
  /** serverless-offline's Lambda endpoint, e.g. http://localhost:3002 */
  lambdaBaseUrl: string;
  functionName: string;
  batchSize: number;
  concurrency: number;
  log: (line: string) => void;
};

function toSqsRecord(message: Message, queueArn: string, region: string) {
  return {
    messageId: message.MessageId!,
    receiptHandle: message.ReceiptHandle!,
    body: message.Body ?? '',
    attributes: message.Attributes ?? {},
    messageAttributes: message.MessageAttributes ?? {},
    md5OfBody: message.MD5OfBody ?? '',
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: region,
  };
}

export async function startLocalSyncPoller(options: LocalSyncPollerOptions): Promise<{ stop(): Promise<void> }> {
  const sqs = new SQSClient({ region: options.region, endpoint: options.sqsEndpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: options.queueUrl, AttributeNames: ['QueueArn'] }));
  const queueArn = Attributes?.QueueArn ?? '';
  const invokeUrl = `${options.lambdaBaseUrl}/2015-03-31/functions/${encodeURIComponent(options.functionName)}/invocations`;
  let running = true;
  const aborter = new AbortController();

  // Long polling as Lambda's event source mapping does it (20 s): a message is answered as soon as it is sent (the
  // emulator wakes waiting receives), and an idle stack sends one receive per 20 s per loop instead of one a second.
  const pollOnce = async () => {
    const { Messages } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: options.queueUrl, MaxNumberOfMessages: options.batchSize, WaitTimeSeconds: 20, MessageSystemAttributeNames: ['All'] }),
      { abortSignal: aborter.signal },
    );
    if (!Messages?.length) return;
    const response = await fetch(invokeUrl, {
      method: 'POST',
      signal: aborter.signal,
      body: JSON.stringify({ Records: Messages.map((message) => toSqsRecord(message, queueArn, options.region)) }),
    });
    const text = await response.text();
    // An invocation that failed as a whole leaves the whole batch for redelivery, like Lambda does.
    if (!response.ok || response.headers.get('x-amz-function-error')) {
      options.log(`sync worker invocation failed (${response.status}); ${Messages.length} message(s) will be retried`);
      return;
    }
    const failed = new Set(((JSON.parse(text || '{}') as { batchItemFailures?: Array<{ itemIdentifier: string }> }).batchItemFailures ?? []).map((f) => f.itemIdentifier));
    const done = Messages.filter((message) => !failed.has(message.MessageId!));
    if (done.length) {
      await sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: options.queueUrl,
          Entries: done.map((message, index) => ({ Id: String(index), ReceiptHandle: message.ReceiptHandle! })),
        }),
      );
    }
  };

  const loop = async () => {
    while (running) {
      try {
        await pollOnce();
      } catch (error) {
        if (!running) return;
        options.log(`sync poller: ${(error as Error).message}`);
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    }
  };
  const loops = Array.from({ length: Math.max(1, options.concurrency) }, () => loop());

  return {
    async stop() {
      running = false;
      aborter.abort();
      await Promise.allSettled(loops);
      sqs.destroy();
    },
  };
}
