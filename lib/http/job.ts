// The chain of the scheduled jobs and the queue worker: Powertools' injectLambdaContext gives every log line the
// Lambda context with fresh keys per invocation (what the HTTP chain in handler.ts also uses).
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { getConfig } from '../config';
import { logger } from './logger';

export function jobHandler<E, R>(run: (event: E, context: Context) => Promise<R>): (event: E, context: Context) => Promise<R> {
  // As in the HTTP chain: locally the Lambda timeout is off (noTimeout), so middy's early timeout is too.
  const early = getConfig().IS_OFFLINE ? { timeoutEarlyInMillis: 0 } : {};
  return middy(run, early).use(injectLambdaContext(logger, { resetKeys: true })) as unknown as (event: E, context: Context) => Promise<R>;
}
