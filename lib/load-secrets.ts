// loadSecrets() for a handler: its secrets from the environment (local) or SSM Parameter Store (AWS), with the SDK's
// own GetParameter. Apart from lib/secrets.ts so that only functions that read a secret bundle the SSM client.
import { getConfig, type Config } from './config';
import { createSsmParameterReader } from './ssm-parameters';
import { checked, parameterOf, startLoadingSecrets, type SecretName, type SecretSource } from './secrets';

/** The value in the environment (local), else the SecureString that <NAME>_PARAMETER names (AWS). */
export function secretSourceFromConfig(config: Config, readParameter = createSsmParameterReader({ region: config.AWS_REGION })): SecretSource {
  return {
    async read(name) {
      const value = config[name];
      if (value) return value;
      const parameter = parameterOf(config, name);
      if (!parameter) return undefined;
      return (await readParameter(parameter)) ?? undefined;
    },
  };
}

/**
 * Names this function's secrets and starts reading them (call once, at module scope of the function's wiring module). A secret
 * with neither a value nor a parameter fails the cold start itself, naming the variable.
 */
export function loadSecrets(names: SecretName[], source?: SecretSource): void {
  const config = getConfig();
  if (!source) for (const name of names) if (!config[name] && !parameterOf(config, name)) checked(name, undefined, config);
  startLoadingSecrets(names, source ?? secretSourceFromConfig(config));
}
