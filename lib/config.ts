// The environment, parsed once with zod at cold start; nothing else reads process.env.
import * as z from 'zod';

const optionalUrl = z.string().url().optional();
const flag = z.enum(['0', '1']).default('0').transform((value) => value === '1');
const seconds = (fallback: number) => z.coerce.number().int().positive().default(fallback);
/** A rate limit as `<count>/<window seconds>`, e.g. `10/900`: at most 10 in each fixed 15-minute window. */
const rateLimit = (fallback: string) =>
  z
    .string()
    .regex(/^[1-9]\d*\/[1-9]\d*$/, 'expected <count>/<window seconds>, e.g. 10/900')
    .default(fallback)
    .transform((value) => {
      const [limit, windowSeconds] = value.split('/').map(Number);
      return { limit, windowSeconds };
    });

const schema = z.object({
  TABLE_NAME: z.string().min(3),
  SYNC_QUEUE_URL: z.string().optional(),
  DYNAMODB_ENDPOINT: optionalUrl,
  SQS_ENDPOINT: optionalUrl,
  /** Local only: the SES emulator (aws-ses-v2-local) that `npm start` runs unless this names another; empty on AWS. */
  SES_ENDPOINT: optionalUrl,
  /** The sender of every mail: a bare address, the SES identity the mail sender's role may send as. */
  MAIL_FROM: z.email('MAIL_FROM must be a bare e-mail address, e.g. no-reply@example.com').default('no-reply@calendar-hub.test'),
  AWS_REGION: z.string().default('eu-central-1'),
  /** Secrets: the value itself locally; on AWS the SSM SecureString named by <NAME>_PARAMETER (lib/secrets.ts reads both). */
  AUTH_SECRET: z.string().min(32, 'AUTH_SECRET must be at least 32 characters').optional(),
  AUTH_SECRET_PARAMETER: z.string().startsWith('/').optional(),
  GOOGLE_CLIENT_SECRET_PARAMETER: z.string().startsWith('/').optional(),
  /** Set by Lambda (and by serverless-offline): code runs inside a function. */
  AWS_LAMBDA_FUNCTION_NAME: z.string().optional(),
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
  /** scrypt cost as log2(N) (r = 8, p = 1); default OWASP's minimum N = 2^17. Lowered only for the test stack. */
  PASSWORD_HASH_COST: z.coerce.number().int().min(14).max(20).default(17),
  /** How long a container trusts a user's session generation it read (seconds, at most 60: a logout holds within a minute). */
  SESSION_CACHE_SECONDS: z.coerce.number().int().min(0).max(60).default(60),
  // Rate limits (lib/limits): counted in DynamoDB per fixed window, so every Lambda instance sees the same count.
  RATE_LIMIT_SIGN_IN_FAILURES_PER_ACCOUNT: rateLimit('10/900'),
  RATE_LIMIT_SIGN_IN_FAILURES_PER_ADDRESS: rateLimit('100/900'),
  RATE_LIMIT_SIGN_UPS_PER_ADDRESS: rateLimit('20/3600'),
  RATE_LIMIT_BOOKINGS_PER_ADDRESS: rateLimit('30/600'),
  RATE_LIMIT_BOOKINGS_PER_LINK: rateLimit('300/600'),
  RATE_LIMIT_SYNC_REQUESTS_PER_COMPANY: rateLimit('10/600'),
  RATE_LIMIT_NOTIFICATIONS_PER_CHANNEL: rateLimit('120/60'),
  /** Set by serverless-offline itself (never on AWS): there the Lambda timeout is off (custom.serverless-offline.noTimeout). */
  IS_OFFLINE: z.string().optional().transform((value) => value === 'true'),
}).superRefine((config, ctx) => {
  // On AWS Google tokens are encrypted with KMS only: a key in an environment variable is not accepted there.
  if (config.AWS_LAMBDA_FUNCTION_NAME && !config.IS_OFFLINE && !config.KMS_KEY_ID) {
    ctx.addIssue({ code: 'custom', path: ['KMS_KEY_ID'], message: 'required on AWS (Google tokens are encrypted with KMS there)' });
  }
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
