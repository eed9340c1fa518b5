// The OpenAPI document tells the truth: Schemathesis (PyPI, pinned, in .tools/venv) runs all
// its checks against a live stack — no server error, every response (problem documents too)
// as documented, no undocumented status code, 405 for methods a path lacks, schema-valid
// requests accepted or refused with a documented status. Webhook delivery is off in this
// stack: the generated subscriptions name hosts that are not ours.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../config/index.ts';
import { locationBody, seedNetwork, shipOrder, storeCaps } from '../support/fixtures.ts';
import { client, startTestStack, type TestStack } from '../support/stack.ts';

let stack: TestStack;
/** An admin key without the per-key rate limit: Schemathesis sends thousands of requests a minute. */
let unlimitedKey: string;
const schemathesis = join(projectRoot, '.tools', 'venv', 'bin', 'schemathesis');

beforeAll(async () => {
  stack = await startTestStack({ webhooks: false });
  const ops = client(stack, await stack.key('ops'));
  await seedNetwork(ops, {
    locations: { 'WH-1': locationBody(41.88, -87.64), 'STORE-1': locationBody(41.89, -87.63, { type: 'store', capabilities: storeCaps }) },
    skus: ['SKU-1', 'SKU-2'],
    stock: [['WH-1', 'SKU-1', 1000], ['WH-1', 'SKU-2', 1000], ['STORE-1', 'SKU-1', 1000]],
  });
  const web = client(stack, await stack.key('channel', { channel: 'web' }));
  await web.post('/v1/orders?wait=routed', shipOrder('ST-1', [{ sku: 'SKU-1', quantity: 1 }]));
  unlimitedKey = (await client(stack, stack.adminKey).post('/v1/api-keys', { name: 'schemathesis', role: 'admin', rateLimitPerMinute: 1_000_000 })).body.key;
});
afterAll(async () => stack?.close());

function run(args: string[]): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(schemathesis, args, { maxBuffer: 64 * 1024 * 1024, env: { ...process.env, NO_COLOR: '1', SCHEMATHESIS_HOOKS: '' } }, (error, stdout, stderr) =>
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, output: `${stdout}${stderr}` }),
    );
  });
}

describe('the OpenAPI document', () => {
  it('passes every Schemathesis check against the live API', async () => {
    expect(existsSync(schemathesis), 'schemathesis is installed by the bootstrap (npm test installs it)').toBe(true);
    const reports = mkdtempSync(join(tmpdir(), 'fulcrum-schemathesis-'));
    const { code, output } = await run([
      '--config-file', join(projectRoot, 'test', 'schemathesis.toml'),
      'run', `${stack.url}/openapi.json`,
      '--checks', 'all',
      '--header', `Authorization: Bearer ${unlimitedKey}`,
      '--max-examples', process.env.FULCRUM_SCHEMATHESIS_EXAMPLES ?? '20',
      // One worker: thousands of requests a minute against one order's Updates are load enough.
      '--workers', '1',
      '--phases', 'examples,coverage,fuzzing',
      '--seed', '1',
      '--report', 'junit', '--report-dir', reports,
    ]);
    if (code !== 0) console.error(process.env.FULCRUM_SCHEMATHESIS_FULL ? output : output.slice(-20_000));
    // Every operation was tested.
    expect(output).toMatch(/Selected: (\d+)\/\1/);
    expect(output).toMatch(/Tested: \d{2}/);
    // The verdict from the JUnit report: no check failed. A crash inside Schemathesis's own
    // generator (its traceback is in its site-packages; seen: a KeyError and CPython's "AST
    // constructor recursion depth mismatch" in the coverage phase) is not a finding about the
    // API: it is reported, not counted, and only when every test case that ran passed.
    const report = readFileSync(join(reports, readdirSync(reports).find((f) => f.endsWith('.xml'))!), 'utf8');
    const failures = Number(/<testsuite [^>]*failures="(\d+)"/.exec(report)?.[1] ?? NaN);
    expect(failures).toBe(0);
    const errors = [...report.matchAll(/<testcase name="([^"]+)"[^>]*>\s*<error[^>]*>([\s\S]*?)<\/error>/g)];
    const ours = errors.filter(([, , text]) => !/site-packages\/(schemathesis|hypothesis)\//.test(text ?? ''));
    expect(ours.map(([, name]) => name)).toEqual([]);
    if (errors.length > 0) console.warn(`Schemathesis crashed in its own code on: ${errors.map(([, name]) => name).join(', ')}`);
    expect(code === 0 || errors.length > 0).toBe(true);
  }, 900_000);
});
