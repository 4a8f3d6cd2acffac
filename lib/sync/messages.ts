// The sync queue's message body, checked on receipt (anything else is a poison message for the dead-letter queue).
import * as z from 'zod';
import type { WriteBackMessage } from '../write-back/ports';
import type { SyncMessage } from './ports';

const syncMessage = z.object({
  companyId: z.string().min(1).max(64),
  trigger: z.enum(['schedule', 'manual', 'enabled', 'push']).default('schedule'),
  deferrals: z.number().int().min(0).max(1000).optional(),
});

export function parseSyncMessage(body: string): SyncMessage {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new Error('Sync message is not JSON');
  }
  const parsed = syncMessage.safeParse(json);
  if (!parsed.success) throw new Error(`Sync message is malformed: ${parsed.error.issues.map((issue) => issue.path.join('.')).join(', ')}`);
  return parsed.data;
}

// The same queue carries write-backs (meetings and bookings copied to Google), told apart by `kind`.
const writeBackMessage = z.object({
  kind: z.literal('write_back'),
  source: z.enum(['meeting', 'booking']),
  sourceId: z.string().min(1).max(64),
  userId: z.string().min(1).max(64),
});

/** A message of the sync queue: a company to sync, or a write-back. */
export function parseQueueMessage(body: string): SyncMessage | WriteBackMessage {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new Error('Queue message is not JSON');
  }
  if ((json as { kind?: unknown })?.kind !== 'write_back') return parseSyncMessage(body);
  const parsed = writeBackMessage.safeParse(json);
  if (!parsed.success) throw new Error(`Write-back message is malformed: ${parsed.error.issues.map((issue) => issue.path.join('.')).join(', ')}`);
  return parsed.data;
}
