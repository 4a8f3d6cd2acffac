// The production wiring of write-back requests: light (no Google client), for the meeting, booking and
// dispatcher functions.
import { getConfig } from '../config';
import { sendJsonBatch } from '../queue/sqs-queue';
import { userStore } from '../store/user-store';
import { pendingWriteBackStore } from '../store/write-back-store';
import type { WriteBackMessage } from './ports';
import { createWriteBackRequests, type WriteBackRequestDeps } from './requests';

export const writeBackRequestDeps: WriteBackRequestDeps = {
  users: userStore,
  async send(messages: WriteBackMessage[]) {
    const url = getConfig().SYNC_QUEUE_URL;
    if (!url) throw new Error('Invalid configuration: SYNC_QUEUE_URL must be set to queue write-backs');
    await sendJsonBatch(url, messages);
  },
  pending: pendingWriteBackStore,
};

export const writeBackRequests = createWriteBackRequests(writeBackRequestDeps);
