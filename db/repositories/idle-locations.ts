// Locations that serve no channel, for the ops board: once markets exist, a location serves
// the channels of its market, and a location in no market the channels in no market (those
// with keys or recent orders that no market lists). A location left in a market without
// channels, or outside every market while every channel is in one, takes no order at all.
import type { Db } from '../knex.ts';

export async function locationsServingNoChannel(db: Db): Promise<string[]> {
  const markets = (await db('markets').select('id', 'body')) as { id: string; body: { channels?: string[] } }[];
  if (markets.length === 0) return [];
  const marketed = new Set(markets.flatMap((m) => m.body.channels ?? []));
  const known = (await db
    .select('channel')
    .from('api_keys')
    .where({ role: 'channel' })
    .whereNull('revoked_at')
    .whereNotNull('channel')
    .union((q) => q.select('channel').from('orders').where('created_at', '>', db.raw("now() - interval '30 days'")))) as { channel: string }[];
  const unmarketedChannels = known.some((c) => !marketed.has(c.channel));
  const marketsWithChannels = new Set(markets.filter((m) => (m.body.channels ?? []).length > 0).map((m) => m.id));
  const locations = (await db('locations').where({ active: true }).orderBy('id').select('id', 'market_id')) as { id: string; market_id: string | null }[];
  return locations.filter((l) => (l.market_id ? !marketsWithChannels.has(l.market_id) : !unmarketedChannels)).map((l) => l.id);
}
