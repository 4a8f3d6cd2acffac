// esbuild plugins for the function bundles (custom.esbuild.plugins in serverless.yml); each takes out code that
// cannot run in a function, measured with `npm run bench -- bundles`:
//   nativeFetch         gaxios (under google-auth-library) imports node-fetch only when no fetch is configured;
//                       every OAuth2Client here gets Node's own (lib/google/oauth-client.ts), so node-fetch and its
//                       stream and blob polyfills (about 90 KB minified) never run: the import resolves to Node's fetch.
//   lambdaCredentials   the AWS SDK's default credential chain (SSO, INI files, process, web identity, instance
//                       metadata, with the STS/SSO clients they need: about 130 KB minified) never gets past its first
//                       link in Lambda, which hands every function its role's credentials in the environment; the
//                       local stack passes its own credentials to each client. Only that first link (fromEnv) stays.
//   nodeInspect         object-inspect (a portable util.inspect, 18 KB minified, under qs in googleapis-common) formats
//                       side-channel's error messages only: Node's own util.inspect does the same there.
//   noGceMetadata       gcp-metadata (with json-bigint and bignumber.js: about 35 KB minified) asks a Google Compute
//                       Engine metadata server; only GoogleAuth's environment detection and the Compute client call it,
//                       and the functions use OAuth2Client alone. Its functions here fail at once, saying why.
//   noServiceAccount    gtoken and jws (with jwa and ecdsa-sig-formatter: about 22 KB minified) sign service-account JWTs
//                       for google-auth-library's JWT and JWTAccess clients; the functions act for users, with
//                       OAuth2Client and their refresh tokens, never as a service account.
//   noProxyAgent        gaxios loads https-proxy-agent (with agent-base and debug: about 17 KB minified) only when an
//                       HTTP(S)_PROXY is set, which Lambda never does; with one set, the request fails saying why.
//   baseErrorsOnly      the SSM and KMS clients define and register a class for each of their services' errors (141 and
//                       49: about 75 KB minified, every class built at each cold start) so that a failure comes back as
//                       its own class. The functions call GetParameter, Encrypt and Decrypt and check no error's class:
//                       without the registrations the SDK answers any error as the service's base exception
//                       (SSMServiceException, KMSServiceException) with the error's name, message, $fault and
//                       $metadata as before (throttling is still told by name), so logs and retries do not change.
//                       DynamoDB keeps its classes (lib/store/errors.ts reads TransactionCanceledException's reasons).
//   googleApart         lib/google imports the Google libraries (google-auth-library, @googleapis/calendar and what they
//                       pull in: about 190 KB minified) on the paths that call Google only (lib/google/clients.ts), but a
//                       dynamic import in these CJS bundles still puts their code in the function's file, which V8 parses
//                       at every cold start. They go to a file of their own beside the handler (<handler>.google.js,
//                       so that serverless-esbuild zips it with that function only), required on the first Google call.
const nativeFetch = {
  name: 'native-fetch',
  setup(build) {
    build.onResolve({ filter: /^node-fetch$/ }, () => ({ path: 'node-fetch', namespace: 'native-fetch' }));
    build.onLoad({ filter: /.*/, namespace: 'native-fetch' }, () => ({
      contents: 'export default globalThis.fetch; export const { Headers, Request, Response, FormData } = globalThis;',
      loader: 'js',
    }));
  },
};

const lambdaCredentials = {
  name: 'lambda-credentials',
  setup(build) {
    build.onResolve({ filter: /^@aws-sdk\/credential-provider-node$/ }, (args) => ({
      path: 'credential-provider-node',
      namespace: 'lambda-credentials',
      pluginData: { resolveDir: args.resolveDir },
    }));
    build.onLoad({ filter: /.*/, namespace: 'lambda-credentials' }, (args) => ({
      contents: [
        "import { fromEnv } from '@aws-sdk/credential-provider-env';",
        'export const defaultProvider = (init = {}) => fromEnv(init);',
        // The same expiry checks as the real module, for any client that imports them.
        'export const credentialsWillNeedRefresh = (credentials) => credentials?.expiration !== undefined;',
        'export const credentialsTreatedAsExpired = (credentials) => credentials?.expiration !== undefined && credentials.expiration.getTime() - Date.now() < 300000;',
      ].join('\n'),
      resolveDir: args.pluginData.resolveDir,
      loader: 'js',
    }));
  },
};

const nodeInspect = {
  name: 'node-inspect',
  setup(build) {
    build.onResolve({ filter: /^object-inspect$/ }, () => ({ path: 'object-inspect', namespace: 'node-inspect' }));
    build.onLoad({ filter: /.*/, namespace: 'node-inspect' }, () => ({ contents: "module.exports = require('node:util').inspect;", loader: 'js' }));
  },
};

/** A module whose named exports are functions that throw (when called or constructed), naming what is left out and why. */
function unavailable(name, filter, exports, why) {
  return {
    name,
    setup(build) {
      build.onResolve({ filter }, (args) => ({ path: args.path, namespace: name }));
      build.onLoad({ filter: /.*/, namespace: name }, (args) => ({
        contents: [
          `function unavailable() { throw new Error(${JSON.stringify(`${args.path} is not bundled in the functions: ${why}`)}); }`,
          ...exports.map((exported) => `exports.${exported} = unavailable;`),
        ].join('\n'),
        loader: 'js',
      }));
    },
  };
}

// What google-auth-library calls of gcp-metadata, gtoken and jws, and what gaxios takes from https-proxy-agent.
const noGceMetadata = unavailable('no-gce-metadata', /^gcp-metadata$/, ['instance', 'isAvailable', 'universe', 'getGCPResidency', 'project'], 'the functions use OAuth2Client, never GoogleAuth on Google Cloud');
const noServiceAccount = unavailable('no-service-account', /^(gtoken|jws)$/, ['GoogleToken', 'sign'], 'the functions use OAuth2Client with user refresh tokens, never a service account');
const noProxyAgent = unavailable('no-proxy-agent', /^https-proxy-agent$/, ['HttpsProxyAgent'], 'Lambda sets no HTTP(S)_PROXY; unset it');

const baseErrorsOnly = {
  name: 'base-errors-only',
  setup(build) {
    const { readFile } = require('node:fs/promises');
    build.onLoad({ filter: /[\\/]@aws-sdk[\\/]client-(ssm|kms)[\\/]dist-es[\\/]schemas[\\/]schemas_0\.js$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      const errorsImport = /^import \{[^}]*\} from "\.\.\/models\/errors";$/m;
      const registrations = /^n0_registry\.registerError\(\w+\$, \w+\);$/gm;
      // Each error's schema (`export var XException$ = [-3, n0, ...];`) is used by its registration only.
      const errorSchemas = /^export var \w+\$ = \[-3, n0,[\s\S]*?\n\];$/gm;
      // A client whose file no longer looks like this fails the build rather than keeping its error classes unnoticed.
      if (!errorsImport.test(source) || !registrations.test(source)) {
        throw new Error(`base-errors-only: ${args.path} no longer imports ../models/errors and registers them: update infra/esbuild-plugins.js`);
      }
      // The base exception's registration (the `_s_registry` line) stays: it is what the SDK answers unknown errors with.
      return { contents: source.replace(errorsImport, '').replace(registrations, '').replace(errorSchemas, ''), loader: 'js' };
    });
  },
};

const GOOGLE_LIBRARIES = { 'google-auth-library': 'auth', '@googleapis/calendar': 'calendar' };

const googleApart = {
  name: 'google-apart',
  setup(build) {
    const path = require('node:path');
    const options = build.initialOptions;
    const entries = Array.isArray(options.entryPoints) ? options.entryPoints : Object.values(options.entryPoints ?? {});
    if (entries.length !== 1 || !options.outdir) throw new Error('google-apart: expects one entry point and an outdir per build (serverless-esbuild)');
    const entry = typeof entries[0] === 'string' ? entries[0] : entries[0].in;
    const file = `${path.basename(entry).replace(/\.[^.]+$/, '')}.google.js`;
    // The metafile tells whether the bundle still requires the file once unused imports are shaken out.
    options.metafile = true;
    build.onResolve({ filter: /^(google-auth-library|@googleapis\/calendar)$/ }, (args) => ({ path: args.path, namespace: 'google-apart' }));
    build.onResolve({ filter: /\.google\.js$/, namespace: 'google-apart' }, (args) => ({ path: args.path, external: true }));
    build.onLoad({ filter: /.*/, namespace: 'google-apart' }, (args) => ({
      contents: `module.exports = require('./${file}').${GOOGLE_LIBRARIES[args.path]};`,
      loader: 'js',
    }));
    build.onEnd(async (result) => {
      if (result.errors.length) return;
      const outputs = Object.values(result.metafile?.outputs ?? {});
      if (!outputs.some((output) => output.imports.some((imported) => imported.external && imported.path.endsWith(file)))) return;
      // The same options (target, minify, format, the other plugins), one entry exporting both libraries.
      const { entryPoints, outdir, outExtension, metafile, plugins, ...rest } = options;
      await require('esbuild').build({
        ...rest,
        plugins: (plugins ?? []).filter((plugin) => plugin.name !== 'google-apart'),
        stdin: {
          contents: Object.entries(GOOGLE_LIBRARIES).map(([library, name]) => `export * as ${name} from '${library}';`).join('\n'),
          resolveDir: path.dirname(entry),
          loader: 'js',
        },
        outfile: path.join(outdir, file),
        sourcemap: false,
      });
    });
  },
};

module.exports = [nativeFetch, lambdaCredentials, nodeInspect, noGceMetadata, noServiceAccount, noProxyAgent, baseErrorsOnly, googleApart];
