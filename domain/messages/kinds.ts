// The messages Fulcrum sends customers, and the business event each answers. One message per
// event and recipient: the event's id makes the message's id, so no event is told twice.
import { LABEL_LANGUAGES } from '../shipping/label-words.ts';

export const MESSAGE_KINDS = ['order_confirmed', 'ready_for_pickup', 'shipped', 'delayed', 'cancelled', 'refunded', 'return_received'] as const;
export type MessageKind = (typeof MESSAGE_KINDS)[number];

/** The outbox event each message answers. */
export const KIND_OF_EVENT: Record<string, MessageKind> = {
  'order.routed': 'order_confirmed',
  'fulfillment.ready_for_pickup': 'ready_for_pickup',
  'fulfillment.shipped': 'shipped',
  'order.delayed': 'delayed',
  'order.cancelled': 'cancelled',
  'return.refunded': 'refunded',
  'return.received': 'return_received',
};

/** The languages templates may be written in: a market's languages. */
export const MESSAGE_LANGUAGES = LABEL_LANGUAGES;
export type MessageLanguage = (typeof MESSAGE_LANGUAGES)[number];

export interface MessageTemplate {
  subject: string;
  text: string;
  html: string;
}

/** One message as the sender hands it to the mail system. */
export interface OutgoingMessage {
  /** Fulcrum's id of the message (also its Message-ID): the same on every retry. */
  messageId: string;
  from: string;
  replyTo?: string;
  to: string;
  subject: string;
  text: string;
  html: string;
}

/** Where messages go: SMTP (activities/adapters/messages/smtp.ts) or the built-in record only. */
export interface MessageSender {
  readonly name: 'smtp' | 'record';
  /** Throws MessageRefused when the mail system refused it for good (a retry would be refused again). */
  send(message: OutgoingMessage): Promise<void>;
}

export class MessageRefused extends Error {}
