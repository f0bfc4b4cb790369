// Layer rules, checked in `npm test` (test/architecture/layers.test.ts). The tree names where
// code runs; these rules keep each layer to what it may use:
//   core/      pure: contract, prompt, sampling, compare, evaluation scoring (no Node, no DOM)
//   service/   Node services: models, runs, library, history, settings
//   node/      Node code shared by every Node process: bounded file reads, GGUF checks and estimates
//   host/      the inference process (node-llama-cpp)
//   apps/      transports over the one service: web (browser mode), cli
//   electron/  the desktop shell, the only folder that imports 'electron'
//   renderer/  the React app, which reaches the service only through the typed API
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      comment: 'Import cycles make modules impossible to understand, test or move alone.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'core-is-pure',
      comment: 'core/ imports only core/ and npm packages: no other layer (and, below, no Node built-ins).',
      severity: 'error',
      from: { path: '^core/' },
      to: { path: '^(service|host|apps|electron|renderer|build|scripts|test|bench)/' },
    },
    {
      name: 'core-without-node',
      severity: 'error',
      from: { path: '^core/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'renderer-uses-core-only',
      comment: 'The renderer talks to the service through the typed API only (window.shotglass or HTTP).',
      severity: 'error',
      from: { path: '^renderer/' },
      to: { path: '^(service|host|node|apps|electron|build|scripts)/' },
    },
    {
      name: 'renderer-without-node',
      severity: 'error',
      from: { path: '^renderer/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'node-uses-core-only',
      comment: 'Shared Node code knows no process that uses it.',
      severity: 'error',
      from: { path: '^node/' },
      to: { path: '^(service|host|apps|electron|renderer|build|scripts)/' },
    },
    {
      name: 'host-uses-core-only',
      comment: 'The inference process imports only core/, node/ and its own files.',
      severity: 'error',
      from: { path: '^host/' },
      to: { path: '^(service|apps|electron|renderer|build|scripts)/' },
    },
    {
      name: 'service-below-transports',
      comment: 'Services know nothing of the transports that serve them.',
      severity: 'error',
      from: { path: '^service/' },
      to: { path: '^(apps|electron|renderer|scripts)/' },
    },
    {
      name: 'service-reaches-host-through-its-protocol',
      comment: 'The service talks to the inference process through its protocol and channel only.',
      severity: 'error',
      from: { path: '^service/' },
      to: { path: '^host/', pathNot: '^host/(protocol|channel)[.]ts$' },
    },
    {
      name: 'runs-through-providers',
      comment: 'Runs, comparisons and evaluations reach models through a ModelProvider (service/providers/), never the inference process directly.',
      severity: 'error',
      from: { path: '^service/', pathNot: '^service/(providers/local|inference/[^/]+)[.]ts$' },
      to: { path: '^service/inference/host-client[.]ts$' },
    },
    {
      name: 'transports-not-each-other',
      comment: 'Each transport is a thin entry point over the service.',
      severity: 'error',
      from: { path: '^apps/([^/]+)/' },
      to: { path: '^apps/', pathNot: '^apps/$1/' },
    },
    {
      name: 'apps-not-shell',
      severity: 'error',
      from: { path: '^apps/' },
      to: { path: '^(electron|renderer)/' },
    },
    {
      name: 'shell-not-apps',
      severity: 'error',
      from: { path: '^electron/' },
      to: { path: '^(apps|renderer)/' },
    },
    {
      name: 'only-the-shell-imports-electron',
      comment: "Everything outside electron/ runs without Electron (browser mode, the CLI, the tests).",
      severity: 'error',
      from: { pathNot: '^(electron/|forge[.]config[.]ts$)' },
      to: { path: '(^|/)node_modules/electron/' },
    },
  ],
  options: {
    doNotFollow: { path: '^node_modules/' },
    exclude: { path: '^(node_modules|dist|out|[.]vite)/' },
    tsPreCompilationDeps: true,
    // resolves TypeScript's ESM style ('./x.js' names ./x.ts) as tsc does
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.tsx', '.mts', '.js', '.mjs', '.cjs', '.json', '.d.ts'] },
  },
};
