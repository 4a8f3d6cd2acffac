// ESLint (flat config): @eslint/js and typescript-eslint recommended, without type information, over every source folder.
import Module, { createRequire } from 'node:module';
import js from '@eslint/js';

// typescript-eslint 8 parses with the TypeScript 6 JavaScript API; the `typescript` package here is 7, which has
// none (tsc is a native binary). `@typescript/typescript6` is TypeScript 6 under its own name: point
// typescript-eslint's require('typescript') at it, and at nothing else, before loading typescript-eslint.
const typescript6 = createRequire(import.meta.url).resolve('@typescript/typescript6');
const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  return resolveFilename.call(this, request === 'typescript' ? typescript6 : request, ...rest);
};
const { default: tseslint } = await import('typescript-eslint');

// Node's globals for the plain JavaScript files (infra/ is CommonJS that serverless.yml requires).
const nodeGlobals = Object.fromEntries(
  ['require', 'module', 'exports', '__dirname', '__filename', 'process', 'console', 'Buffer', 'setTimeout', 'clearTimeout', 'URL'].map((name) => [name, 'readonly']),
);

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', '.serverless/**', '.esbuild/**', '.esbuild-*/**', '.build/**', '.local-data/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: nodeGlobals },
    rules: {
      // CommonJS files load their modules with require(); that is what the rule forbids.
      '@typescript-eslint/no-require-imports': 'off',
    },
  },
  {
    files: ['**/*.mjs'],
    languageOptions: { globals: nodeGlobals },
  },
  {
    files: ['tests/**', 'infra/local/**'],
    rules: {
      // Tests and the local stack read untyped JSON (HTTP answers, CloudFormation templates, sandbox requests) and
      // poke at fakes; `any` there is the established way to say "whatever came back", and a wrong guess fails the test.
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  {
    files: ['tests/**', 'infra/**', 'scripts/**'],
    rules: {
      // These load CommonJS infra modules (the ones serverless.yml requires) and heavy tools like DynamoDB Local
      // lazily, or fresh after changing the environment; require() is how that is done here.
      '@typescript-eslint/no-require-imports': 'off',
    },
  },
  {
    rules: {
      // The regular expressions that name control characters do it on purpose: ICS text escaping (RFC 5545 forbids
      // them in TEXT) and rejecting cursors that decode to binary.
      'no-control-regex': 'off',
      // An argument or binding named with a leading underscore is unused on purpose (a port's shape, a skipped tuple slot).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true }],
    },
  },
);
