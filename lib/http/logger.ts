// The one structured JSON logger (Powertools), created once per container. Errors reach the log by an allowlist:
// client errors (gaxios, the AWS SDK) carry the request they failed on as enumerable fields (headers with bearer
// tokens, a token exchange's body with the refresh token), which Powertools would otherwise print whole.
import { Logger } from '@aws-lambda-powertools/logger';
import { onExpansionBudgetExceeded } from '../domain/expansion-budget';

/** What of an error is logged: what explains the failure, never the request or reply it carries. */
const ERROR_FIELDS = ['name', 'location', 'message', 'stack', 'cause', 'code', 'status', 'statusCode', 'reason', '$metadata', 'errors'];

/** Keys whose values are secrets wherever they appear in a log line. */
const SECRET_KEYS = /^(authorization|cookie|set-cookie|password|passwordhash|token|access_token|refresh_token|id_token|client_secret|code_verifier|cancel_?token|secret)$/i;

/** Powertools formats an error as {name, location, message, stack, ...every enumerable field}: keep the allowlist. */
const isFormattedError = (value: object): value is Record<string, unknown> => 'name' in value && 'location' in value && 'stack' in value;

export function redactLogValue(this: unknown, key: string, value: unknown): unknown {
  if (SECRET_KEYS.test(key)) return '[redacted]';
  // Called before Powertools formats an Error (then `value` is the Error itself), and on already formatted ones.
  if (value instanceof Error || (value && typeof value === 'object' && !Array.isArray(value) && isFormattedError(value))) {
    const fields = value as unknown as Record<string, unknown>;
    return Object.fromEntries(ERROR_FIELDS.filter((field) => fields[field] !== undefined).map((field) => [field, fields[field]]));
  }
  // Powertools' own handling of what JSON cannot show (BigInt, circular references) stays the default's job.
  return typeof value === 'bigint' ? value.toString() : value;
}

export const logger = new Logger({ serviceName: 'calendar-hub', jsonReplacerFn: redactLogValue });

// A recurrence expansion stopped by its work budget (lib/domain/recurrence.ts) is said here, wherever the logger is loaded.
onExpansionBudgetExceeded((report) => logger.warn('recurrence expansion stopped at its work budget', report));
