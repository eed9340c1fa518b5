// The layer rules (docs/architecture.md), checked by `npm run check:layers` and in `npm test`.
// domain/ is pure and depends on nothing of ours but itself; workflows/ orchestrate the
// domain (activities only as types); activities/ do side effects through db/; api/ talks to
// Temporal and db/ and never runs activities or workers; nothing imports scripts/ or test/.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    { name: 'no-cycles', severity: 'error', comment: 'Modules must not import each other in a circle.', from: {}, to: { circular: true } },
    {
      name: 'integrations-stand-apart',
      severity: 'error',
      comment: 'integrations/ are packages of their own that reach Fulcrum over HTTP: Fulcrum imports none of them, and they import nothing of Fulcrum.',
      from: { pathNot: '^integrations/' },
      to: { path: '^integrations/' },
    },
    {
      name: 'integrations-reach-fulcrum-over-http',
      severity: 'error',
      comment: 'A plugin imports its platform and itself, never Fulcrum code.',
      from: { path: '^integrations/' },
      to: { path: '^(workflows|activities|workers|api|db|domain|config|services|scripts|test|bench|web)/' },
    },
    {
      name: 'nothing-imports-the-tests',
      severity: 'error',
      comment: 'test/ is a leaf: scripts, benches and the code under test never import it.',
      from: { pathNot: '^test/' },
      to: { path: '^test/' },
    },
    {
      name: 'the-console-speaks-http',
      severity: 'error',
      comment: 'web/ (the console) reaches Fulcrum through clients/ (the typed HTTP client) and pure domain/ modules only.',
      from: { path: '^web/' },
      to: { path: '^(workflows|activities|workers|api|db|config|services|scripts|test|bench|integrations)/' },
    },
    {
      name: 'domain-is-pure',
      severity: 'error',
      comment: 'domain/ imports only domain/ (and libraries).',
      from: { path: '^domain/' },
      to: { path: '^(workflows|activities|workers|api|db|config|services|scripts|test|bench|web)/' },
    },
    {
      name: 'workflows-orchestrate-the-domain',
      severity: 'error',
      comment: 'workflows/ import domain/ and workflows/ only; activities as types (proxyActivities).',
      from: { path: '^workflows/' },
      to: { path: '^(workers|api|db|config|services|scripts|test|bench|web)/' },
    },
    {
      name: 'workflows-see-activities-as-types',
      severity: 'error',
      comment: 'Activity code must not be bundled into workflows.',
      from: { path: '^workflows/' },
      to: { path: '^activities/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'activities-below-the-api',
      severity: 'error',
      comment: 'activities/ never import api/, workers/ or scripts/.',
      from: { path: '^activities/' },
      to: { path: '^(api|workers|scripts|test|bench)/' },
    },
    {
      name: 'api-does-not-run-activities',
      severity: 'error',
      comment: 'api/ starts, signals and queries workflows; it does not import activities/ or workers/.',
      from: { path: '^api/' },
      to: { path: '^(activities|workers|scripts|test|bench)/' },
    },
    {
      name: 'db-is-the-bottom',
      severity: 'error',
      comment: 'db/ imports only db/, domain/ and config/.',
      from: { path: '^db/' },
      to: { path: '^(workflows|activities|workers|api|services|scripts|test|bench|web)/' },
    },
    {
      name: 'services-below-the-api',
      severity: 'error',
      comment: 'services/ (order intake, the current-resource reader, Temporal client options) serve api/ and activities/; they import neither.',
      from: { path: '^services/' },
      to: { path: '^(api|activities|workers|scripts|test|bench)/' },
    },
    {
      name: 'children-do-not-know-their-parents',
      severity: 'error',
      comment: 'A child workflow owns its contract; the parent imports it, never the other way round.',
      from: { path: '^workflows/(fulfillment|transfer)/' },
      to: { path: '^workflows/order/' },
    },
    {
      name: 'transfers-do-not-know-fulfillments',
      severity: 'error',
      comment: 'The transfer workflow is a child of a pickup fulfillment (and stands alone): it imports neither parent.',
      from: { path: '^workflows/transfer/' },
      to: { path: '^workflows/fulfillment/' },
    },
    {
      name: 'routes-do-not-import-routes',
      severity: 'error',
      comment: 'A route shares code through api/ modules, not through another route.',
      from: { path: '^api/routes/[^/]+$' },
      to: { path: '^api/routes/[^/]+$', pathNot: ['^api/routes/common\\.ts$'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|\\.tools|\\.data|\\.cache)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.mjs', '.json'] },
  },
};
