// One customer message, composed: the order as it stands, the channel's settings (sender,
// reply-to, opt-outs), the language of the channel's market, the template in force (the
// operator's latest version, else the built-in one) and, for a pickup, the store.
import type { Db } from '../../db/knex.ts';
import { createMarketsRepository } from '../../db/repositories/markets.ts';
import { createMessagesRepository, type QueuedMessage } from '../../db/repositories/messages.ts';
import { createNetworkRepository } from '../../db/repositories/network.ts';
import { createOrdersRepository } from '../../db/repositories/orders.ts';
import { defaultTemplate } from '../../domain/messages/defaults.ts';
import type { MessageKind, MessageTemplate, OutgoingMessage } from '../../domain/messages/kinds.ts';
import { renderMessage } from '../../domain/messages/render.ts';
import { messageView } from '../../domain/messages/view.ts';
import type { Order } from '../../domain/orders/schemas.ts';

export interface ComposeOptions {
  /** The sender when a channel names none. */
  defaultFrom: string;
  /** Per carrier, a tracking link with `{trackingNumber}`. */
  trackingUrls?: Record<string, string>;
}

export type Composed =
  | { ok: true; message: OutgoingMessage; language: string; templateVersion: number }
  | { ok: false; skip: string };

export function createMessageComposer(db: Db, options: ComposeOptions) {
  const messages = createMessagesRepository(db);
  const orders = createOrdersRepository(db);
  const markets = createMarketsRepository(db);
  const network = createNetworkRepository(db);

  /** The template in force for a kind in a language (the built-in one is version 0). */
  async function templateFor(kind: MessageKind, language: string): Promise<{ template: MessageTemplate; language: string; version: number }> {
    const stored = await messages.template(kind, language);
    if (stored) return { template: stored, language, version: stored.version };
    const builtIn = defaultTemplate(kind, language);
    const storedFallback = builtIn.language !== language ? await messages.template(kind, builtIn.language) : undefined;
    return storedFallback ? { template: storedFallback, language: builtIn.language, version: storedFallback.version } : { ...builtIn, version: 0 };
  }

  async function languageOf(channel: string): Promise<string> {
    return (await markets.ofChannel(channel))?.language ?? 'en';
  }

  /** Renders a kind for an order, in a language (the channel's when not given). */
  async function render(kind: MessageKind, order: Order, data: Record<string, unknown>, language?: string) {
    const chosen = await templateFor(kind, language ?? (await languageOf(order.channel)));
    const f = order.fulfillments.find((x) => x.id === data.fulfillmentId) ?? order.fulfillments[0];
    const location = kind === 'ready_for_pickup' && f ? await network.getLocation(f.locationId) : undefined;
    const view = messageView(kind, data, order, { language: chosen.language, ...(location ? { location } : {}), ...(options.trackingUrls ? { trackingUrls: options.trackingUrls } : {}) });
    return { rendered: renderMessage(chosen.template, view), view, language: chosen.language, version: chosen.version };
  }

  return {
    templateFor,
    render,
    async compose(queued: QueuedMessage): Promise<Composed> {
      const settings = await messages.settings(queued.channel);
      if (settings.optOut.includes(queued.kind)) return { ok: false, skip: `channel ${queued.channel} sends its own ${queued.kind} messages` };
      if (!queued.recipient) return { ok: false, skip: 'the order has no customer email' };
      const order = (await orders.get(queued.orderId))?.snapshot;
      if (!order) return { ok: false, skip: 'the order is gone' };
      const { rendered, language, version } = await render(queued.kind, order, queued.data ?? {});
      return {
        ok: true,
        language,
        templateVersion: version,
        message: { messageId: queued.messageId, from: settings.from ?? options.defaultFrom, ...(settings.replyTo ? { replyTo: settings.replyTo } : {}), to: queued.recipient, ...rendered },
      };
    },
  };
}

export type MessageComposer = ReturnType<typeof createMessageComposer>;
