// Every new workflow evaluates the modules it imports afresh (the SDK keeps workflows apart),
// and building zod schemas cost more than the rest of a workflow's start: the workflow code
// reaches zod only through workflows/request-schemas.ts, which the bundle loads on first use
// (workers/worker.ts). This walks the static, non-type imports from workflows/index.ts with
// dependency-cruiser and fails on any other path to zod, and checks the run's bundle has the
// loading-on-first-use twin in place of the plain module.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cruise, type ICruiseResult } from 'dependency-cruiser';
import { describe, expect, inject, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');

async function staticImportGraph(): Promise<ICruiseResult> {
  const previous = process.cwd();
  process.chdir(root);
  try {
    const result = await cruise(['workflows/index.ts'], { doNotFollow: { path: 'node_modules' }, tsPreCompilationDeps: true, combinedDependencies: false }, undefined, { tsConfig: { fileName: 'tsconfig.json' } });
    return result.output as ICruiseResult;
  } finally {
    process.chdir(previous);
  }
}

describe('the workflow bundle', () => {
  it('reaches zod only through the request schemas it loads on first use', async () => {
    const graph = await staticImportGraph();
    const modules = new Map(graph.modules.map((m) => [m.source, m]));
    const lazy = 'workflows/request-schemas.ts';
    const via = new Map<string, string>();
    const queue = ['workflows/index.ts'];
    const paths: string[] = [];
    while (queue.length > 0) {
      const source = queue.shift()!;
      for (const dep of modules.get(source)?.dependencies ?? []) {
        if (dep.dependencyTypes.includes('type-only') || source === lazy) continue;
        if (dep.module === 'zod' || dep.resolved.includes('node_modules/zod/')) {
          const path = [source];
          for (let at = source; via.has(at); ) path.unshift((at = via.get(at)!));
          paths.push([...path, 'zod'].join(' → '));
          continue;
        }
        if (via.has(dep.resolved) || dep.resolved.startsWith('node_modules')) continue;
        via.set(dep.resolved, source);
        queue.push(dep.resolved);
      }
    }
    expect(modules.has(lazy)).toBe(true);
    expect(paths).toEqual([]);
  });

  it('is built with the request schemas loaded on first use (the run bundles as every worker does)', () => {
    const bundle = readFileSync(inject('workflowBundlePath'), 'utf8');
    expect(bundle).toContain('"./workflows/request-schemas.bundle.ts"');
    expect(bundle).not.toContain('"./workflows/request-schemas.ts"');
    // Each schema module is required inside a function, not when the bundle is evaluated.
    expect(bundle).toMatch(/orderActions: \(\)=>__webpack_require__\(/);
  });
});
