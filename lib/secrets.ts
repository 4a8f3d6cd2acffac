// The secrets a function needs, read once at cold start: locally the values in the environment, on AWS the SSM
// Parameter Store SecureStrings named by <NAME>_PARAMETER (load-secrets.ts). Each function's wiring module names its secrets with
// loadSecrets() at module scope (the read overlaps the rest of the cold start); the HTTP chain and the jobs await
// secretsReady() before any work, and the code reads a value with secret() from then on. This module has no SSM
// client, so functions that need no secret (meta, web, book, the webhook) do not carry one.
import { getConfig, type Config } from './config';

export type SecretName = 'AUTH_SECRET' | 'GOOGLE_CLIENT_SECRET';

/** Where values come from: the local stack satisfies it from the environment, AWS from Parameter Store. */
export type SecretSource = { read(name: SecretName): Promise<string | undefined> };

type Rule = { required: boolean; check?: (value: string) => string | undefined };
const RULES: Record<SecretName, Rule> = {
  AUTH_SECRET: { required: true, check: (value) => (value.length < 32 ? 'must be at least 32 characters' : undefined) },
  // Optional like the rest of the Google client: without it only the routes that call Google fail (oauth-client.ts says which).
  GOOGLE_CLIENT_SECRET: { required: false },
};

export const parameterOf = (config: Config, name: SecretName): string | undefined => config[`${name}_PARAMETER`];

export function checked(name: SecretName, value: string | undefined, config: Config): string | undefined {
  const rule = RULES[name];
  if (value === undefined || value === '') {
    if (!rule.required) return undefined;
    const parameter = parameterOf(config, name);
    throw new Error(
      parameter
        ? `Invalid configuration: the SSM parameter ${parameter} (${name}_PARAMETER) has no value`
        : `Invalid configuration: set ${name} (local) or ${name}_PARAMETER (the SSM parameter holding it, on AWS)`,
    );
  }
  const problem = rule.check?.(value);
  if (problem) throw new Error(`Invalid configuration: ${name} ${problem}`);
  return value;
}

const values = new Map<SecretName, string | undefined>();
let wanted: { names: SecretName[]; source?: SecretSource } = { names: [] };
let loading: Promise<void> | undefined;

/** Names this function's secrets and starts reading them from the source (load-secrets.ts gives the real one). */
export function startLoadingSecrets(names: SecretName[], source: SecretSource): void {
  wanted = { names, source };
  loading = undefined;
  // A failure here is reported by the first secretsReady() (the first request), which also tries again.
  secretsReady().catch(() => undefined);
}

/** Resolves once the named secrets are in memory; after a failure (SSM unreachable) the next call reads again. */
export function secretsReady(): Promise<void> {
  loading ??= (async () => {
    const config = getConfig();
    const { names, source } = wanted;
    if (!source) return;
    const read = await Promise.all(names.map(async (name) => [name, checked(name, await source.read(name), config)] as const));
    for (const [name, value] of read) values.set(name, value);
  })().catch((error) => {
    loading = undefined;
    throw error;
  });
  return loading;
}

/**
 * A secret's value (undefined for an optional one that is not set). In a function only what its handler
 * loaded (its IAM role allows no other parameter); outside one (tests, scripts) the environment's value.
 */
export function secret(name: SecretName): string | undefined {
  if (values.has(name)) return values.get(name);
  const config = getConfig();
  if (config.AWS_LAMBDA_FUNCTION_NAME) {
    const why = wanted.names.includes(name) ? 'read before secretsReady() resolved' : "not among the secrets its handler loads (loadSecrets)";
    throw new Error(`${name} is not available in ${config.AWS_LAMBDA_FUNCTION_NAME}: ${why}`);
  }
  return checked(name, config[name], config);
}
