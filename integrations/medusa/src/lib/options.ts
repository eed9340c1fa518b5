// The plugin's settings, checked once when Medusa loads it: a wrong setting stops Medusa at
// start with the setting's name, rather than failing each order later.

export interface FulcrumOptions {
  /** Fulcrum's API, e.g. https://fulcrum.example.com (no trailing path). */
  url: string;
  /** A Fulcrum `channel` API key (POST /v1/api-keys { role: "channel", channel }). */
  apiKey: string;
  /** The secret of the Fulcrum webhook subscription that points at /hooks/fulcrum. */
  webhookSecret: string;
  /** The Fulcrum channel orders go to when their sales channel is not in `salesChannels`. */
  channel?: string;
  /** Medusa sales channel id → Fulcrum channel. */
  salesChannels?: Record<string, string>;
  /** Fulcrum channel → its channel key, when sales channels map to several Fulcrum channels. */
  apiKeys?: Record<string, string>;
  /** Fulcrum location id → Medusa stock location id (stock locations may instead carry metadata.fulcrum_location_id). */
  locations?: Record<string, string>;
  /** Milliseconds before a call to Fulcrum is abandoned (and retried). Default 10 000. */
  timeoutMs?: number;
  /** Orders older than this many days are no longer re-sent by the sweep. Default 7. */
  resendDays?: number;
}

const isRecordOfStrings = (v: unknown): v is Record<string, string> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && Object.values(v).every((s) => typeof s === 'string' && s.length > 0);

/** Throws naming the first wrong setting. */
export function checkOptions(raw: unknown): FulcrumOptions {
  const o = (raw ?? {}) as Record<string, unknown>;
  const problems: string[] = [];
  const need = (name: string) => {
    if (typeof o[name] !== 'string' || (o[name] as string).trim() === '') problems.push(`${name} is required`);
  };
  need('url');
  need('apiKey');
  need('webhookSecret');
  if (typeof o.url === 'string') {
    try {
      const u = new URL(o.url);
      if (u.protocol !== 'https:' && u.protocol !== 'http:') problems.push('url must be http(s)');
    } catch {
      problems.push('url must be a URL such as https://fulcrum.example.com');
    }
  }
  for (const name of ['salesChannels', 'apiKeys', 'locations'] as const) {
    if (o[name] !== undefined && !isRecordOfStrings(o[name])) problems.push(`${name} must map names to non-empty strings`);
  }
  if (o.channel !== undefined && (typeof o.channel !== 'string' || o.channel === '')) problems.push('channel must be a non-empty string');
  for (const name of ['timeoutMs', 'resendDays'] as const) {
    const v = o[name];
    if (v !== undefined && (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > 86_400_000)) problems.push(`${name} must be a positive whole number`);
  }
  if (problems.length > 0) throw new Error(`@fulcrum/medusa: ${problems.join('; ')}`);
  return { ...(o as unknown as FulcrumOptions), url: (o.url as string).replace(/\/+$/, '') };
}

/** The Fulcrum channel of a Medusa sales channel, or undefined when none is mapped. */
export function channelOf(options: FulcrumOptions, salesChannelId: string | null | undefined): string | undefined {
  return (salesChannelId ? options.salesChannels?.[salesChannelId] : undefined) ?? options.channel;
}

export function keyFor(options: FulcrumOptions, channel: string | undefined): string {
  return (channel ? options.apiKeys?.[channel] : undefined) ?? options.apiKey;
}
