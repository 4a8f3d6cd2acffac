// Reading SecureStrings from SSM Parameter Store with the plain SDK client: one GetParameter per secret at cold start
// is all lib/load-secrets.ts needs. Powertools Parameters bundled the SSM client's every model (about 190 KB minified,
// 45 KB zipped per function); this keeps about 75 KB minified. Imported statically: a dynamic import compiles, in
// these CJS bundles, to a wrapped module that esbuild cannot tree-shake (measured: 60 KB minified more). The client
// itself is created on the first read only, which never happens locally (the values are in the environment).
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
