// `npm run deploy -- --stage <name> [--region <region>]`: builds the pages, checks that the stage's secrets exist in
// SSM Parameter Store, and deploys in one pass. The stack hands the functions its own URLs and token key
// (serverless.yml), so nothing needs a second deploy; the OAuth redirect URI to register with Google is printed
// among the stack's outputs (OAuthRedirectUri). After the deploy it runs the data migrations (scripts/migrate-*.ts).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { GetParametersCommand, SSMClient } from '@aws-sdk/client-ssm';

const ROOT = join(__dirname, '..');
const { parameterNames } = require('../infra/parameters.js') as { parameterNames: (stage: string) => Record<'AUTH_SECRET' | 'GOOGLE_CLIENT_SECRET', string> };

const args = process.argv.slice(2);
const option = (name: string) => {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : args.find((arg) => arg.startsWith(`${name}=`))?.slice(name.length + 1);
};

function run(command: string, commandArgs: string[]): void {
  const result = spawnSync(command, commandArgs, { cwd: ROOT, stdio: 'inherit', env: process.env });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

/** Names of the stage's parameters that do not exist (existence only: nothing is decrypted or printed). */
async function missingParameters(stage: string, region: string): Promise<string[]> {
  const names = Object.values(parameterNames(stage));
  const found = await new SSMClient({ region }).send(new GetParametersCommand({ Names: names }));
  return found.InvalidParameters ?? [];
}

async function main(): Promise<void> {
  const stage = option('--stage') ?? 'dev';
  const region = option('--region') ?? process.env.AWS_REGION ?? 'eu-central-1';
  const names = parameterNames(stage);
  const missing = await missingParameters(stage, region);
  const create = (name: string, value: string) => `  aws ssm put-parameter --region ${region} --type SecureString --name ${name} --value "${value}"`;
  if (missing.includes(names.AUTH_SECRET)) {
    console.error(`The stage's AUTH_SECRET is not in Parameter Store. Create it once (48 random bytes), then deploy again:\n${create(names.AUTH_SECRET, '$(openssl rand -base64 48)')}`);
    process.exit(1);
  }
  if (missing.includes(names.GOOGLE_CLIENT_SECRET) || !process.env.GOOGLE_CLIENT_ID) {
    console.warn(
      `Google is not configured for this stage: set GOOGLE_CLIENT_ID when deploying and store the client secret:\n${create(names.GOOGLE_CLIENT_SECRET, '<client secret>')}\n` +
        'Until then everything but the Google routes works.',
    );
  }
  run('npm', ['run', 'build']);
  run(process.execPath, [join(ROOT, 'node_modules', 'osls', 'bin', 'serverless.js'), 'deploy', ...(option('--stage') ? [] : ['--stage', stage]), ...args]);
  // The synced events' move to one item per event (the listing reads gsi1 from this deploy on); finds nothing once done.
  run(process.execPath, [join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), 'scripts/migrate-synced-events.ts', '--stage', stage, '--region', region]);
}

main().catch((error) => {
  console.error(`Deploy stopped: ${(error as Error).message}`);
  process.exit(1);
});
