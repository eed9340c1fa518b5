// Bundles the workflows once, as the production image does at build time (the worker then
// starts without webpack: FULCRUM_WORKFLOW_BUNDLE names the file). Same options as every
// worker and test run (workflowBundleOptions), so what runs in production is what was tested.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { workflowBundleOptions } from '../workers/worker.ts';

const target = resolve(process.argv[2] ?? 'dist/workflow-bundle.js');
const { code } = await bundleWorkflowCode(workflowBundleOptions);
mkdirSync(dirname(target), { recursive: true });
writeFileSync(target, code);
console.log(`workflow bundle: ${target} (${Math.round(code.length / 1024)} KiB)`);
