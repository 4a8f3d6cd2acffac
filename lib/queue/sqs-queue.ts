// The SQS adapter: one client per container (pointed at the emulator when SQS_ENDPOINT is set), messages
// sent with SendMessageBatch in batches of 10, entries SQS did not accept sent again with backoff; a received
// message's visibility changed with ChangeMessageVisibility (the worker's retry delay).
import { ChangeMessageVisibilityCommand, SendMessageBatchCommand, type SendMessageBatchRequestEntry, SQSClient } from '@aws-sdk/client-sqs';
import { getConfig } from '../config';
import type { MessageVisibility, QueueChannel } from '../sync/queue';

let client: SQSClient | undefined;

export function sqs(): SQSClient {
  if (client) return client;
  const config = getConfig();
  client = new SQSClient({
    region: config.AWS_REGION,
    ...(config.SQS_ENDPOINT ? { endpoint: config.SQS_ENDPOINT, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
  });
  return client;
}

async function sendJsonBatch(queueUrl: string, bodies: unknown[], delaySeconds?: number): Promise<void> {
  for (let i = 0; i < bodies.length; i += 10) {
    let entries: SendMessageBatchRequestEntry[] = bodies.slice(i, i + 10).map((body, index) => ({
      Id: String(index),
      MessageBody: JSON.stringify(body),
      ...(delaySeconds ? { DelaySeconds: delaySeconds } : {}),
    }));
    for (let attempt = 0; entries.length; attempt++) {
      if (attempt >= 5) throw new Error(`SQS refused ${entries.length} messages after 5 attempts`);
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.random() * 50 * 2 ** attempt));
      const result = await sqs().send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries }));
      const failed = new Set((result.Failed ?? []).filter((entry) => !entry.SenderFault).map((entry) => entry.Id));
      const rejected = (result.Failed ?? []).filter((entry) => entry.SenderFault);
      if (rejected.length) throw new Error(`SQS rejected messages: ${rejected.map((entry) => entry.Message).join('; ')}`);
      entries = entries.filter((entry) => failed.has(entry.Id));
    }
  }
}

/** The queue channel of one queue: every kind of message goes through it. */
export function createQueueChannel(queueUrl: string): QueueChannel {
  return {
    async send(messages, options = {}) {
      await sendJsonBatch(queueUrl, messages, options.delaySeconds);
    },
  };
}

function syncQueueUrl(): string {
  const url = getConfig().SYNC_QUEUE_URL;
  if (!url) throw new Error('Invalid configuration: SYNC_QUEUE_URL must be set to queue syncs and write-backs');
  return url;
}


/** Visibility of the messages received from one queue (needs sqs:ChangeMessageVisibility on it). */
export function createMessageVisibility(queueUrl: string): MessageVisibility {
  return {
    async hideFor(receiptHandle, seconds) {
      await sqs().send(new ChangeMessageVisibilityCommand({ QueueUrl: queueUrl, ReceiptHandle: receiptHandle, VisibilityTimeout: seconds }));
    },
  };
}

/** The sync queue's message visibility, its URL resolved on first use. */
export const syncQueueVisibility: MessageVisibility = { hideFor: (receiptHandle, seconds) => createMessageVisibility(syncQueueUrl()).hideFor(receiptHandle, seconds) };

/** The configured sync queue (SYNC_QUEUE_URL) as the channel port, resolved on each send (so wiring modules load without configuration). */
export const queueChannel: QueueChannel = { send: (messages, options) => createQueueChannel(syncQueueUrl()).send(messages, options) };
