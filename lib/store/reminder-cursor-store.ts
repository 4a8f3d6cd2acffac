// The reminder job's cursor, JOB#<name> / CURSOR: the next UTC minute the job reads, only ever moved forward.
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { JobCursor } from '../reminders/ports';
import { dynamo, tableName } from './client';
import { isConditionalCheckFailed } from './errors';
import { minuteText, reminderKeys } from './reminder-keys';

export function jobCursor(jobName: string): JobCursor {
  const key = { pk: reminderKeys.cursorPk(jobName), sk: reminderKeys.cursorSk() };
  return {
    async read() {
      const result = await dynamo().send(new GetCommand({ TableName: tableName(), Key: key, ConsistentRead: true }));
      const next = result.Item?.nextMinute as string | undefined;
      return next ? Date.parse(`${next}:00Z`) : undefined;
    },
    async advance(minute) {
      try {
        await dynamo().send(
          new UpdateCommand({
            TableName: tableName(),
            Key: key,
            UpdateExpression: 'SET nextMinute = :next, #type = :type, #version = if_not_exists(#version, :zero) + :one',
            ConditionExpression: 'attribute_not_exists(pk) OR nextMinute < :next',
            ExpressionAttributeNames: { '#type': 'type', '#version': 'version' },
            ExpressionAttributeValues: { ':next': minuteText(minute), ':type': 'JobCursor', ':zero': 0, ':one': 1 },
          }),
        );
      } catch (error) {
        // Another run has already moved it as far or further.
        if (!isConditionalCheckFailed(error)) throw error;
      }
    },
  };
}
