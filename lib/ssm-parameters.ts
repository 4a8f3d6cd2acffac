// Reading SecureStrings from SSM Parameter Store with the plain SDK client. A module of its own so that
// lib/load-secrets.ts can load it on first use (never locally) while esbuild still keeps only GetParameter of the
// SSM client: a dynamic import of '@aws-sdk/client-ssm' itself would bundle its every command.
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';

/** The decrypted value of one SecureString (undefined when it has none); throws when SSM refuses or fails. */
export type ParameterReader = (parameter: string) => Promise<string | undefined>;

/** One client per reader: the source that loadSecrets() builds once per container. */
export function createSsmParameterReader(options: { region: string; endpoint?: string }): ParameterReader {
  let client: SSMClient | undefined;
  return async (parameter) => {
    client ??= new SSMClient(options);
    const { Parameter } = await client.send(new GetParameterCommand({ Name: parameter, WithDecryption: true }));
    return Parameter?.Value;
  };
}
