// The queue's message body, checked once on receipt into the QueueMessage union; anything else is refused (and,
// reported as failed, ends in the dead-letter queue as a poison message).
import * as z from 'zod';
import type { QueueKind, QueueMessage } from './queue';

const schemas = {
  sync: z.object({
    kind: z.literal('sync'),
    companyId: z.string().min(1).max(64),
    trigger: z.enum(['schedule', 'manual', 'enabled', 'push']).default('schedule'),
    deferrals: z.number().int().min(0).max(1000).optional(),
  }),
  write_back: z.object({
    kind: z.literal('write_back'),
    source: z.enum(['meeting', 'booking']),
    sourceId: z.string().min(1).max(64),
    userId: z.string().min(1).max(64),
  }),
} satisfies Record<QueueKind, z.ZodType<QueueMessage>>;

const isKind = (kind: unknown): kind is QueueKind => typeof kind === 'string' && Object.hasOwn(schemas, kind);

export type ParsedQueueMessage = { ok: true; message: QueueMessage } | { ok: false; reason: string };

/** The message of a queue body, or why it is refused. */
export function parseQueueMessage(body: string): ParsedQueueMessage {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return { ok: false, reason: 'not JSON' };
  }
  if (!json || typeof json !== 'object' || Array.isArray(json)) return { ok: false, reason: 'not a JSON object' };
  // Sync messages sent before the `kind` discriminant existed carry none; they may still wait in a deployed queue
  // (or its dead-letter queue, to be redriven), so a body without `kind` is read as a sync rather than stranded.
  const kind = 'kind' in json ? json.kind : 'sync';
  if (!isKind(kind)) return { ok: false, reason: `unknown kind ${JSON.stringify(kind)}` };
  const parsed = schemas[kind].safeParse({ ...json, kind });
  if (!parsed.success) return { ok: false, reason: `${kind} message is malformed: ${parsed.error.issues.map((issue) => issue.path.join('.')).join(', ')}` };
  return { ok: true, message: parsed.data };
}
