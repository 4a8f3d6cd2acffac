// The import rules of the layering in DESIGN.md ("Layout"): dependencies point inward, features never touch adapters.
// Features may use each other's entities and, for the few orchestrations (write-back's take-over of changes made in
// Google, the queue worker, a connection's removal), each other's use cases; a cycle among modules stays refused.
// Run with `npm run lint:imports`. Each rule says which layer it guards and why.

const FEATURES = '(auth|users|meetings|scheduling|companies|connections|sync|push|reminders|write-back|limits)';
const ADAPTERS = '(store|google|queue|mail)';
// The npm packages that talk to a cloud or an outside service: only adapters (and the wiring that builds them) use them.
const CLOUD_SDKS = ['^@aws-sdk/', '^googleapis$', '^@googleapis/', '^google-auth-library$', '^@aws-lambda-powertools/'];
const npm = (names) => ({ dependencyTypes: ['npm', 'npm-dev', 'npm-optional', 'npm-peer', 'npm-no-pkg', 'npm-unknown'], path: names });

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'A cycle makes load order matter and ties the modules in it into one: break it with a port or a neutral module.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'kernel-imports-nothing',
      comment: 'lib/kernel holds what every layer shares (logger port, clock, ids, input shapes); it imports nothing of ours.',
      severity: 'error',
      from: { path: '^lib/kernel/' },
      to: { path: '^(lib|functions|scripts|infra|web)/', pathNot: '^lib/kernel/' },
    },
    {
      name: 'domain-imports-only-kernel',
      comment: 'lib/domain is pure logic: besides itself it may import lib/kernel and nothing else of ours.',
      severity: 'error',
      from: { path: '^lib/domain/' },
      to: { path: '^(lib|functions|scripts|infra|web)/', pathNot: '^lib/(domain|kernel)/' },
    },
    {
      name: 'domain-and-kernel-no-cloud-or-middy',
      comment: 'Domain and kernel code runs anywhere: no AWS SDK, Google client, Powertools or middy.',
      severity: 'error',
      from: { path: '^lib/(domain|kernel)/' },
      to: npm([...CLOUD_SDKS, '^@middy/']),
    },
    {
      name: 'feature-not-to-adapter-or-http',
      comment: 'A feature declares ports and gets them passed in; it never imports an adapter, the wiring or the HTTP toolkit.',
      severity: 'error',
      from: { path: `^lib/${FEATURES}/` },
      to: { path: `^lib/(${ADAPTERS.slice(1, -1)}|http|wiring)/` },
    },
    {
      name: 'feature-no-cloud-sdk',
      comment: 'Calls to AWS and Google belong in the adapters behind the ports, not in use cases.',
      severity: 'error',
      from: { path: `^lib/${FEATURES}/` },
      to: npm([...CLOUD_SDKS, '^@middy/']),
    },
    {
      name: 'adapter-not-to-http-or-wiring',
      comment: 'An adapter is built by the wiring and knows nothing of HTTP: it never imports lib/http or lib/wiring.',
      severity: 'error',
      from: { path: `^lib/${ADAPTERS}/` },
      to: { path: '^lib/(http|wiring)/' },
    },
    {
      name: 'adapter-uses-feature-types-only',
      comment:
        'An adapter implements ports: from a feature it takes types, the errors its ports name, the values it maps items to and from (entity helpers, schema limits, OAuth scopes) and the pure seat rules a booking transaction applies, never use-case code.',
      severity: 'error',
      from: { path: `^lib/${ADAPTERS}/` },
      to: { path: `^lib/${FEATURES}/`, pathNot: '/(ports|errors|schemas|scopes|meeting|synced-event|booking|event-type|user|queue|group-seats)[.]ts$', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'only-wiring-imports-adapters',
      comment: 'lib/wiring is the composition root: reading it tells which adapters a function runs. Nothing else in lib or functions imports one.',
      severity: 'error',
      from: { path: '^(lib|functions)/', pathNot: `^lib/(wiring|${ADAPTERS.slice(1, -1)})/` },
      to: { path: `^lib/${ADAPTERS}/` },
    },
    {
      name: 'adapter-not-to-other-adapter',
      comment: 'Each adapter stands alone (one toolkit each); the wiring combines them.',
      severity: 'error',
      from: { path: `^lib/${ADAPTERS}/` },
      to: { path: `^lib/${ADAPTERS}/`, pathNot: '^lib/$1/' },
    },
    {
      name: 'functions-no-cloud-sdk',
      comment: 'A handler parses the event, calls a use case with the ports its wiring module built, and shapes the reply: AWS and Google clients stay in the adapters (only-wiring-imports-adapters keeps the adapters out too).',
      severity: 'error',
      from: { path: '^functions/' },
      to: npm(CLOUD_SDKS),
    },
    {
      name: 'wiring-only-from-entry-points',
      comment: 'Dependencies point inward: only the deployed functions (and scripts and tests) reach the composition root.',
      severity: 'error',
      from: { path: '^lib/', pathNot: '^lib/wiring/' },
      to: { path: '^lib/wiring/' },
    },
    {
      name: 'no-orphans',
      comment: 'A module nothing imports and that imports nothing is dead code (or a forgotten entry point).',
      severity: 'error',
      from: { orphan: true, pathNot: ['[.]d[.]ts$', '(^|/)[.][^/]+[.](js|cjs|mjs|ts|json)$', '[.]md$'] },
      to: {},
    },
    {
      name: 'not-to-unresolvable',
      comment: 'An import that resolves to nothing fails at run time (or in the bundle).',
      severity: 'error',
      from: {},
      // Type-only imports resolve through TypeScript, which swc cannot ask; aws-lambda is such a package (types
      // alone, from @types/aws-lambda) even where it is imported with inline `type` specifiers.
      to: { couldNotResolve: true, dependencyTypesNot: ['type-only'], pathNot: '^aws-lambda$' },
    },
  ],
  options: {
    // The type checker here is TypeScript 7, which has no JavaScript API: parse with swc (@swc/core, already used by jest).
    parser: 'swc',
    doNotFollow: { path: 'node_modules' },
    // Type-only imports count: a feature importing an adapter's type still depends on it.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'], extensions: ['.ts', '.js', '.mjs', '.cjs', '.json'] },
    exclude: { path: ['node_modules', '^web/dist/', '^[.]'] },
  },
};
