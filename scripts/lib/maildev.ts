// A local customer inbox (MailDev, from npm): an SMTP server that keeps every message and a web
// page and REST API to read them. `npm start` runs one so a new user sees the customer's
// emails arrive; the tests read messages back through its API. Bound to 127.0.0.1 (it listens
// on every interface by default).
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { projectRoot } from '../../config/index.ts';
import { freePort } from '../dev/temporal-dev-server.ts';
import { waitFor } from './wait.ts';

export interface InboxMessage {
  id: string;
  subject: string;
  text: string;
  html: string;
  from: { address: string; name: string }[];
  to: { address: string; name: string }[];
  replyTo?: { address: string; name: string }[];
  headers: Record<string, string>;
  messageId?: string;
}

export interface RunningInbox {
  smtpUrl: string;
  webUrl: string;
  messages(): Promise<InboxMessage[]>;
  /** A message as it arrived (RFC 5322: every header). */
  source(id: string): Promise<string>;
  stop(): Promise<void>;
}

export async function startInbox(ports: { smtp?: number; web?: number } = {}): Promise<RunningInbox> {
  const smtp = ports.smtp ?? (await freePort());
  const web = ports.web ?? (await freePort());
  const bin = join(projectRoot, 'node_modules', 'maildev', 'dist', 'bin', 'maildev.js');
  const child = spawn(process.execPath, [bin, '--smtp', String(smtp), '--web', String(web), '--ip', '127.0.0.1', '--web-ip', '127.0.0.1', '--silent'], { stdio: 'ignore' });
  const webUrl = `http://127.0.0.1:${web}`;
  const stop = async () => {
    child.kill('SIGTERM');
    await new Promise((resolve) => (child.exitCode !== null ? resolve(undefined) : child.once('exit', resolve)));
  };
  try {
    await waitFor(`MailDev on ${webUrl}`, async () => (await fetch(`${webUrl}/api/healthz`, { signal: AbortSignal.timeout(2000) })).ok, { ms: 30_000, everyMs: 200, process: child });
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    smtpUrl: `smtp://127.0.0.1:${smtp}`,
    webUrl,
    async messages() {
      return (await (await fetch(`${webUrl}/api/email`, { signal: AbortSignal.timeout(10_000) })).json()) as InboxMessage[];
    },
    async source(id: string) {
      return (await fetch(`${webUrl}/api/email/${encodeURIComponent(id)}/source`, { signal: AbortSignal.timeout(10_000) })).text();
    },
    stop,
  };
}
