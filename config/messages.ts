// Customer messages (issue 30): where they go and what they link to.
//
//   FULCRUM_SMTP_URL        smtp://user:pass@host:587 or smtps://…; unset: messages are rendered and recorded, not sent
//   FULCRUM_MAIL_FROM       the sender when a channel names none ("Fulcrum <orders@example.com>")
//   FULCRUM_TRACKING_URLS   per carrier, the customer's tracking link: ParcelCo=https://track.example/{trackingNumber},…
import { nonEmpty } from './env.ts';

export interface MessagesConfig {
  smtpUrl?: string;
  defaultFrom: string;
  trackingUrls: Record<string, string>;
}

/** An address as mail headers take it: `name <a@b>` or `a@b`, no line breaks. */
export const MAIL_ADDRESS = /^(?:[^<>\r\n"]{1,100} )?<?[^\s@<>"]{1,64}@[^\s@<>"]{1,253}>?$/;

export function loadMessagesConfig(env: NodeJS.ProcessEnv): MessagesConfig {
  const smtpUrl = nonEmpty(env.FULCRUM_SMTP_URL);
  if (smtpUrl && !/^smtps?:\/\/[^\s/]+(\/[^\s]*)?$/.test(smtpUrl)) throw new Error('config: FULCRUM_SMTP_URL must be an smtp:// or smtps:// URL');
  const defaultFrom = nonEmpty(env.FULCRUM_MAIL_FROM) ?? 'Fulcrum <orders@fulcrum.local>';
  if (!MAIL_ADDRESS.test(defaultFrom)) throw new Error(`config: FULCRUM_MAIL_FROM must be an address such as "Shop <orders@example.com>", got "${defaultFrom}"`);
  const trackingUrls: Record<string, string> = {};
  for (const pair of (nonEmpty(env.FULCRUM_TRACKING_URLS) ?? '').split(',').map((p) => p.trim()).filter(Boolean)) {
    const match = /^([^=\s]{1,64})=(https:\/\/\S+\{trackingNumber\}\S*)$/.exec(pair);
    if (!match) throw new Error(`config: FULCRUM_TRACKING_URLS takes carrier=https://…{trackingNumber}… pairs separated by commas, got "${pair}"`);
    trackingUrls[match[1]!] = match[2]!;
  }
  return { ...(smtpUrl ? { smtpUrl } : {}), defaultFrom, trackingUrls };
}
