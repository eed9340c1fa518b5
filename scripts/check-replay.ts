// `npm run check:replay [-- --workflows <dir>]`: the replay check on its own. Bundles the
// workflow code (this tree's, or another tree's `workflows/`) and replays every history ever
// committed against it; exits 1 on any non-determinism. `npm test` runs the same check.
import { join, resolve } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { projectRoot } from '../config/index.ts';
import { historyVersions, replayVersions } from './lib/replay-histories.ts';

export async function checkReplay(workflowsDir: string, root = projectRoot): Promise<{ checked: number; failed: { name: string; error?: string }[] }> {
  const bundle = await bundleWorkflowCode({ workflowsPath: join(workflowsDir, 'index.ts'), logger: { trace() {}, debug() {}, info() {}, warn() {}, error: console.error, log() {} } });
  const file = join(mkdtempSync(join(tmpdir(), 'fulcrum-replay-')), 'bundle.js');
  writeFileSync(file, bundle.code);
  const { versions } = historyVersions(root);
  const outcomes = await replayVersions(file, versions);
  return { checked: outcomes.length, failed: outcomes.filter((o) => o.error) };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const at = process.argv.indexOf('--workflows');
  const dir = at > 0 ? resolve(process.argv[at + 1]!) : join(projectRoot, 'workflows');
  const { checked, failed } = await checkReplay(dir);
  for (const f of failed) console.error(`✗ ${f.name}: ${f.error}`);
  console.log(`replay check: ${checked - failed.length} of ${checked} history versions replay against ${dir}`);
  process.exit(failed.length > 0 ? 1 : 0);
}
