// The environment, parsed once with zod at cold start; nothing else reads process.env.
import * as z from 'zod';

const optionalUrl = z.string().url().optional();
const flag = z.enum(['0', '1']).default('0').transform((value) => value === '1');
const seconds = (fallback: number) => z.coerce.number().int().positive().default(fallback);

const schema = z.object({
  TABLE_NAME: z.string().min(3),
  SYNC_QUEUE_URL: z.string().optional(),
  DYNAMODB_ENDPOINT: optionalUrl,
  SQS_ENDPOINT: optionalUrl,
  AWS_REGION: z.string().default('eu-central-1'),
  AUTH_SECRET: z.string().min(32, 'AUTH_SECRET must be at least 32 characters'),
  AUTH_TOKEN_TTL_SECONDS: seconds(12 * 3600),
  TOKEN_ENCRYPTION_KEY: z.string().optional(),
  KMS_KEY_ID: z.string().optional(),
  GOOGLE_CLIENT_ID: z.string().optional(),
  GOOGLE_CLIENT_SECRET: z.string().optional(),
  OAUTH_REDIRECT_URI: optionalUrl,
  GOOGLE_API_BASE_URL: z.string().url().default('https://www.googleapis.com/'),
  GOOGLE_OAUTH_AUTHORIZE_URL: z.string().url().default('https://accounts.google.com/o/oauth2/v2/auth'),
  GOOGLE_OAUTH_TOKEN_URL: z.string().url().default('https://oauth2.googleapis.com/token'),
  WEBHOOK_BASE_URL: optionalUrl,
  PUBLIC_BASE_URL: z.string().url().default('http://localhost:3000'),
  MAX_PARALLEL_COMPANY_SYNC: z.coerce.number().int().positive().default(1),
  SYNC_AFTER_CREATE: flag,
  /** Open Google push channels when calendars are enabled (and renew them); off only where no sync may start on its own. */
  PUSH_CHANNELS: z.enum(['0', '1']).default('1').transform((value) => value === '1'),
  SYNC_TIMEOUT: seconds(120),
  UPDATE_FREQUENCY: seconds(120),
  MAX_BODY_BYTES: z.coerce.number().int().positive().default(64 * 1024),
  /** Set by serverless-offline itself (never on AWS): there the Lambda timeout is off (custom.serverless-offline.noTimeout). */
  IS_OFFLINE: z.string().optional().transform((value) => value === 'true'),
});

export type Config = z.infer<typeof schema>;

let cached: Config | undefined;

/** Parses the environment on first use and fails with the names of the bad variables. */
export function getConfig(): Config {
  if (cached) return cached;
  // serverless.yml passes unset optional variables as empty strings: treat those as absent.
  const present = Object.fromEntries(Object.entries(process.env).filter(([, value]) => value !== ''));
  const parsed = schema.safeParse(present);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`Invalid configuration: ${problems.join('; ')}`);
  }
  cached = parsed.data;
  return cached;
}

/** Tests that change the environment between cases call this to re-read it. */
export function resetConfigForTests(): void {
  cached = undefined;
}
