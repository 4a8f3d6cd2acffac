// The sync queue's contract: the one message union it carries (told apart by `kind`), the one port every producer
// sends through, and the visibility of a received message. lib/queue/sqs-queue.ts is its SQS adapter.
import type { WriteBackSource } from '../meetings/ports';

export type SyncTrigger = 'schedule' | 'manual' | 'enabled' | 'push';

/** "Sync this company's enabled calendars." */
export type SyncMessage = {
  kind: 'sync';
  companyId: string;
  trigger: SyncTrigger;
  /** How often this sync was already put off (company busy, no free slot); bounded, then the message is dropped. */
  deferrals?: number;
};


/** "Bring Google in line with this meeting or booking of this user." */
export type WriteBackMessage = { kind: 'write_back'; source: WriteBackSource; sourceId: string; userId: string };

export type QueueMessage = SyncMessage | WriteBackMessage;

export type QueueKind = QueueMessage['kind'];

export type QueueChannel = {
  /** Sends the messages (in batches of 10), optionally delayed. */
  send(messages: QueueMessage[], options?: { delaySeconds?: number }): Promise<void>;
};

/** A received message of the queue, hidden again for a while (ChangeMessageVisibility). */
export type MessageVisibility = {
  /** From now on the message stays hidden `seconds` more, then comes back (receiptHandle: this receipt of it). */
  hideFor(receiptHandle: string, seconds: number): Promise<void>;
};
