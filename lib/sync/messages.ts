// The sync queue's message body, checked on receipt (anything else is a poison message for the dead-letter queue).
import { z } from 'zod';
import type { SyncMessage } from './ports';

const syncMessage = z.object({ companyId: z.string().min(1).max(64), trigger: z.enum(['schedule', 'manual', 'enabled', 'push']).default('schedule') });

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
