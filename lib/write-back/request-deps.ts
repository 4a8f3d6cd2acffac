// The production wiring of write-back requests: light (no Google client), for the meeting, booking and
// dispatcher functions.
import { queueChannel } from '../queue/sqs-queue';
import { userStore } from '../store/user-store';
import { pendingWriteBackStore } from '../store/write-back-store';
import { createWriteBackRequests, type WriteBackRequestDeps } from './requests';

export const writeBackRequestDeps: WriteBackRequestDeps = {
  users: userStore,
  queue: queueChannel,
  pending: pendingWriteBackStore,
};

export const writeBackRequests = createWriteBackRequests(writeBackRequestDeps);
