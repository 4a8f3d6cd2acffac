// Counts the DynamoDB requests this process sends through the store's client, and the items they return, until
// `stop()`: what benches report per operation and what tests pin (a count, never a time).
import { dynamo } from '../../lib/store/client';

let sequence = 0;

export function countDynamoReads() {
  const counts = { requests: 0, items: 0, byCommand: {} as Record<string, number> };
  const name = `dynamoReadCounter${(sequence += 1)}`;
  dynamo().middlewareStack.add(
    (next, context) => async (args) => {
      counts.requests += 1;
      const command = (context as { commandName?: string }).commandName ?? 'unknown';
      counts.byCommand[command] = (counts.byCommand[command] ?? 0) + 1;
      const result = await next(args);
      const output = result.output as { Items?: unknown[]; Item?: unknown; Responses?: Record<string, unknown[]> | unknown[] };
      const responses = Array.isArray(output.Responses) ? [] : Object.values(output.Responses ?? {});
      counts.items += output.Items?.length ?? (output.Item ? 1 : responses.reduce((sum, items) => sum + items.length, 0));
      return result;
    },
    { step: 'initialize', name },
  );
  return { counts, stop: () => dynamo().middlewareStack.remove(name) };
}
