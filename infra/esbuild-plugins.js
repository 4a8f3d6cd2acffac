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

module.exports = [nativeFetch, lambdaCredentials, nodeInspect, noGceMetadata, noServiceAccount, noProxyAgent];
