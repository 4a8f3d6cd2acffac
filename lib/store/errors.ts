// Recognising DynamoDB's conditional and transactional failures, so adapters can turn them into domain errors.

type AwsError = { name?: string; CancellationReasons?: Array<{ Code?: string } | undefined> };

export function isConditionalCheckFailed(error: unknown): boolean {
  return (error as AwsError)?.name === 'ConditionalCheckFailedException';
}

/** For a cancelled transaction: the index of each item whose condition failed. */
export function failedConditionIndexes(error: unknown): number[] {
  const aws = error as AwsError;
  if (aws?.name !== 'TransactionCanceledException') return [];
  return (aws.CancellationReasons ?? []).flatMap((reason, index) => (reason?.Code === 'ConditionalCheckFailed' ? [index] : []));
}

export function isTransactionConflict(error: unknown): boolean {
  const aws = error as AwsError;
  return (
    aws?.name === 'TransactionConflictException' ||
    (aws?.name === 'TransactionCanceledException' && (aws.CancellationReasons ?? []).some((reason) => reason?.Code === 'TransactionConflict'))
  );
}
