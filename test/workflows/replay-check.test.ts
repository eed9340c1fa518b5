// The replay check bites: a copy of today's workflow code with one deliberately unpatched
// change — the fulfillment SLA watch of acca0dc without its patched() guard — fails it on the
// histories recorded before that change, while today's code passes.
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkReplay } from '../../scripts/check-replay.ts';

const root = join(import.meta.dirname, '..', '..');
// Inside the project (ignored by git and the linters) so the copy resolves the same packages.
const mutant = join(root, '.cache', `replay-mutant-${process.pid}`);
afterAll(() => rmSync(mutant, { recursive: true, force: true }));

describe('the replay check', () => {
  it('fails on a workflow change made without patched()', async () => {
    mkdirSync(mutant, { recursive: true });
    for (const dir of ['workflows', 'domain', 'activities', 'db', 'config', 'services']) cpSync(join(root, dir), join(mutant, dir), { recursive: true });
    const file = join(mutant, 'workflows', 'fulfillment', 'timers.ts');
    const guarded = "if (!patched('sla-watch-through-signals')) return watchPickSlaUntilFirstSignal(run);";
    const source = readFileSync(file, 'utf8');
    expect(source).toContain(guarded);
    writeFileSync(file, source.replace(guarded, '// (guard removed: the change runs unpatched)\n    void watchPickSlaUntilFirstSignal;'));

    const { checked, failed } = await checkReplay(join(mutant, 'workflows'), root);
    expect(checked).toBeGreaterThan(20);
    expect(failed.map((f) => f.name)).toContain('legacy-fulfillment-pending-signals.json');
    expect(failed.every((f) => /nondeterminism/i.test(f.error ?? ''))).toBe(true);
  }, 180_000);
});
