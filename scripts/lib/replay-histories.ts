// The replay check: every workflow history ever committed under test/histories/ — the files
// of today and every earlier version in git, so re-recording or deleting a file cannot hide
// a break — is replayed against the workflow code. A change to workflows/ that alters the
// commands a running workflow issues, without patched(), fails here before it lands.
// A version deliberately given up (recorded before any production run) is listed with its
// reason in test/histories/retired.txt.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils.js';
import { Worker } from '@temporalio/worker';
import { workflowSpanSinks } from '../../workers/worker.ts';

export const HISTORIES_DIR = 'test/histories';

export interface HistoryVersion {
  /** `file.json` (today's) or `file.json@<commit>` (an earlier version). */
  name: string;
  blob: string;
  json: string;
}

function git(root: string, args: string[]): string | undefined {
  try {
    return execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 256 * 1024 * 1024 });
  } catch {
    return undefined;
  }
}

export function retiredBlobs(root: string): Map<string, string> {
  const file = join(root, HISTORIES_DIR, 'retired.txt');
  const retired = new Map<string, string>();
  if (!existsSync(file)) return retired;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const match = /^([0-9a-f]{40})\s+(.+)$/.exec(line.trim());
    if (match) retired.set(match[1]!, match[2]!);
  }
  return retired;
}

/** Today's histories and every earlier committed version of them, each once, less the retired. */
export function historyVersions(root: string): { versions: HistoryVersion[]; fromGit: boolean } {
  const retired = retiredBlobs(root);
  const seen = new Set<string>();
  const versions: HistoryVersion[] = [];
  const dir = join(root, HISTORIES_DIR);
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
    const json = readFileSync(join(dir, file), 'utf8');
    const blob = git(root, ['hash-object', join(dir, file)])?.trim() ?? file;
    seen.add(blob);
    versions.push({ name: file, blob, json });
  }
  const commits = git(root, ['log', '--format=%H', '--', HISTORIES_DIR]);
  if (commits === undefined) return { versions, fromGit: false };
  for (const commit of commits.split('\n').filter(Boolean)) {
    for (const line of (git(root, ['ls-tree', commit, `${HISTORIES_DIR}/`]) ?? '').split('\n')) {
      const match = /^\d+ blob ([0-9a-f]{40})\t(.+\.json)$/.exec(line);
      if (!match) continue;
      const [, blob, path] = match as unknown as [string, string, string];
      if (seen.has(blob) || retired.has(blob)) continue;
      seen.add(blob);
      versions.push({ name: `${path.split('/').pop()}@${commit.slice(0, 10)}`, blob, json: git(root, ['cat-file', 'blob', blob]) ?? '' });
    }
  }
  return { versions, fromGit: true };
}

export interface ReplayOutcome {
  name: string;
  error?: string;
}

/** Replays each version against the workflow bundle at `bundlePath`. */
export async function replayVersions(bundlePath: string, versions: readonly HistoryVersion[]): Promise<ReplayOutcome[]> {
  const outcomes: ReplayOutcome[] = [];
  const histories = versions.map((v) => ({ workflowId: v.name, history: historyFromJSON(JSON.parse(v.json)) }));
  for await (const result of Worker.runReplayHistories({ workflowBundle: { codePath: bundlePath }, replayName: 'replay-check', sinks: workflowSpanSinks() }, histories)) {
    outcomes.push({ name: result.workflowId, ...(result.error ? { error: String((result.error as Error).message ?? result.error).slice(0, 500) } : {}) });
  }
  return outcomes;
}
