// The outside systems `npm start` runs beside Fulcrum so a new user sees them in the loop: a
// local customer inbox (MailDev) that Fulcrum's emails go to, and, with
// FULCRUM_CARRIER_GATEWAY=karrio, a local Karrio with the demo's carriers (Karrio's offline
// generic carrier, priced like the demo's rate cards) that labels are bought through.
import { randomBytes } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { projectRoot } from '../../config/index.ts';
import { DEFAULT_CARRIER_SERVICES, EUR_DEMO_CARRIER_SERVICES } from '../../domain/shipping/carrier-services.ts';
import { addWebhook, connectCarriers } from './karrio-carriers.ts';
import { startKarrio, type RunningKarrio } from './karrio.ts';
import { startInbox, type RunningInbox } from './maildev.ts';

/** MailDev on its usual ports (FULCRUM_INBOX_PORT, FULCRUM_INBOX_SMTP_PORT), or free ones when those are taken. */
export async function startDemoInbox(): Promise<RunningInbox> {
  const web = Number(process.env.FULCRUM_INBOX_PORT ?? 1080);
  const smtp = Number(process.env.FULCRUM_INBOX_SMTP_PORT ?? 1025);
  try {
    return await startInbox({ web, smtp });
  } catch {
    return startInbox();
  }
}

/** Karrio installed (the bootstrap's --karrio), started, the demo's carriers connected; its env for Fulcrum's processes. */
export async function startDemoKarrio(): Promise<{ karrio: RunningKarrio; env: Record<string, string>; connect(apiUrl: string): Promise<void> }> {
  const installed = spawnSync(process.execPath, [join(projectRoot, 'scripts', 'bootstrap.mjs'), '--karrio'], { stdio: 'inherit' });
  if (installed.status !== 0) throw new Error('installing Karrio failed (node scripts/bootstrap.mjs --karrio)');
  const karrio = await startKarrio();
  await connectCarriers(karrio, [...DEFAULT_CARRIER_SERVICES, ...EUR_DEMO_CARRIER_SERVICES], ['US', 'DE']);
  const secret = `whsec_${randomBytes(18).toString('hex')}`;
  return {
    karrio,
    env: { FULCRUM_CARRIER_GATEWAY: 'karrio', KARRIO_URL: karrio.url, KARRIO_API_KEY: karrio.apiKey, FULCRUM_KARRIO_WEBHOOK_SECRET: secret },
    // Once the API answers: Karrio's tracking events go to it.
    connect: async (apiUrl) => void (await addWebhook(karrio, `${apiUrl}/v1/carrier-gateways/karrio/events`, secret)),
  };
}
