// Runs the Google Calendar sandbox on its own, with the demo account:
//   npx tsx infra/local/google-sandbox/cli.ts        (PORT=4100, HOST=127.0.0.1 by default)
// Optional: SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET, ACCESS_TOKEN_TTL_SECONDS.
import { DEMO_EMAIL, DEMO_STUDIO_ID, startGoogleSandbox } from './index';

async function main(): Promise<void> {
  const sandbox = await startGoogleSandbox({
    port: Number(process.env.PORT ?? 4100),
    host: process.env.HOST ?? '127.0.0.1',
    seedDemo: true,
    clientId: process.env.SANDBOX_CLIENT_ID || undefined,
    clientSecret: process.env.SANDBOX_CLIENT_SECRET || undefined,
    accessTokenTtlSeconds: process.env.ACCESS_TOKEN_TTL_SECONDS ? Number(process.env.ACCESS_TOKEN_TTL_SECONDS) : undefined,
  });
  const lines = [
    `Google Calendar sandbox listening on ${sandbox.url}`,
    '',
    `  GOOGLE_CLIENT_ID=${sandbox.clientId}`,
    `  GOOGLE_CLIENT_SECRET=${sandbox.clientSecret}`,
    `  GOOGLE_OAUTH_AUTHORIZE_URL=${sandbox.authorizeUrl}`,
    `  GOOGLE_OAUTH_TOKEN_URL=${sandbox.tokenUrl}`,
    `  GOOGLE_API_BASE_URL=${sandbox.apiBaseUrl}`,
    '',
    `  revoke:    ${sandbox.revokeUrl}`,
    `  userinfo:  ${sandbox.userinfoUrl}`,
    `  control:   ${sandbox.controlUrl}/ (e.g. GET ${sandbox.controlUrl}/accounts)`,
    '',
    `Demo account ${DEMO_EMAIL}: calendars "Main hall" (${DEMO_EMAIL}, primary) and "Studio" (${DEMO_STUDIO_ID}).`,
    `Add login_hint=${DEMO_EMAIL} to the authorize URL to consent without a click.`,
  ];
  console.log(lines.join('\n'));

  const shutdown = () => {
    void sandbox.stop().then(() => process.exit(0));
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
