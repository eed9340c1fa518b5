// What a message's template can say: the variables of every message, and those of its kind.
//   every message   customerName, orderNumber (the channel's), orderId, channel, lines [{ quantity, title }], total
//   order_confirmed estimatedDelivery
//   ready_for_pickup storeName, storeAddress, openingHours [lines], pickupCode, pickupUntil
//   shipped         carrier, service, trackingNumber, trackingUrl
//   delayed         reason, newDate
//   cancelled       reason
//   refunded        refundAmount, rma
//   return_received rma
// Dates and money are written the way the message's language writes them.
import { currencyDigits, type Money } from '../money.ts';
import type { Location } from '../network/schemas.ts';
import type { Order } from '../orders/schemas.ts';
import type { MessageKind } from './kinds.ts';

const LOCALES: Record<string, string> = { en: 'en-US', de: 'de-DE', fr: 'fr-FR', es: 'es-ES', it: 'it-IT', nl: 'nl-NL', pl: 'pl-PL' };
const WEEKDAY_INDEX: Record<string, number> = { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 };

export interface ViewContext {
  language: string;
  /** The pickup store (ready for pickup). */
  location?: Location;
  /** Per carrier, a tracking link with `{trackingNumber}` in it. */
  trackingUrls?: Record<string, string>;
}

function locale(language: string): string {
  return LOCALES[language] ?? 'en-US';
}

export function formatMoney(money: Money, language: string): string {
  return new Intl.NumberFormat(locale(language), { style: 'currency', currency: money.currency }).format(money.amount / 10 ** currencyDigits(money.currency));
}

function formatDate(value: string | undefined, language: string, timeZone?: string): string | undefined {
  if (!value) return undefined;
  const withTime = value.length > 10;
  const date = new Date(withTime ? value : `${value}T12:00:00Z`);
  if (Number.isNaN(date.getTime())) return value;
  return new Intl.DateTimeFormat(locale(language), { dateStyle: 'full', ...(withTime ? { timeStyle: 'short', timeZone: timeZone ?? 'UTC' } : { timeZone: 'UTC' }) }).format(date);
}

function weekdays(days: readonly string[], language: string): string {
  const name = (d: string) => new Intl.DateTimeFormat(locale(language), { weekday: 'short', timeZone: 'UTC' }).format(new Date(Date.UTC(2024, 0, 7 + (WEEKDAY_INDEX[d] ?? 0))));
  return days.map(name).join(', ');
}

function storeView(location: Location | undefined, language: string): Record<string, unknown> {
  if (!location) return {};
  const a = location.address;
  return {
    storeName: location.name,
    ...(a ? { storeAddress: [a.line1, a.line2, `${a.postalCode} ${a.city}`].filter(Boolean).join(', ') } : {}),
    openingHours: (location.openingHours ?? []).map((h) => `${weekdays(h.days, language)} ${h.open}–${h.close}`),
  };
}

function fulfillmentOf(order: Order, data: Record<string, unknown>) {
  return order.fulfillments.find((f) => f.id === data.fulfillmentId) ?? order.fulfillments[0];
}

export function messageView(kind: MessageKind, data: Record<string, unknown>, order: Order, ctx: ViewContext): Record<string, unknown> {
  const { language } = ctx;
  const f = fulfillmentOf(order, data);
  const common = {
    customerName: order.customer.name,
    orderNumber: order.channelOrderId,
    orderId: order.id,
    channel: order.channel,
    lines: order.lines.map((l) => ({ quantity: l.quantity, title: l.sku })),
    total: formatMoney(order.payment.amount, language),
  };
  switch (kind) {
    case 'order_confirmed':
      return { ...common, estimatedDelivery: formatDate(order.fulfillments.map((x) => x.estimatedDelivery).filter(Boolean).sort().at(-1), language) };
    case 'ready_for_pickup':
      // The event carries the code and the window: the order's copy may not have caught up yet.
      return {
        ...common,
        ...storeView(ctx.location, language),
        pickupCode: (data.pickupCode as string | undefined) ?? f?.pickupCode,
        pickupUntil: formatDate((data.pickupExpiresAt as string | undefined) ?? f?.pickupExpiresAt, language, ctx.location?.timezone),
      };
    case 'shipped': {
      const carrier = (data.carrier as string | undefined) ?? f?.carrier;
      const trackingNumber = (data.trackingNumber as string | undefined) ?? f?.trackingNumber;
      const template = carrier ? ctx.trackingUrls?.[carrier] : undefined;
      const trackingUrl = template && trackingNumber ? template.replace('{trackingNumber}', encodeURIComponent(trackingNumber)) : undefined;
      return { ...common, carrier, service: (data.service as string | undefined) ?? f?.service, trackingNumber, trackingUrl };
    }
    case 'delayed':
      return { ...common, reason: data.reason, newDate: formatDate((data.expectedAt as string | undefined) ?? f?.estimatedDelivery, language) };
    case 'cancelled':
      return { ...common, reason: data.reason };
    case 'refunded':
      return { ...common, rma: data.rma, refundAmount: data.amount ? formatMoney(data.amount as Money, language) : undefined };
    case 'return_received':
      return { ...common, rma: data.rma };
  }
}
