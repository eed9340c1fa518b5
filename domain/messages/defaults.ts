// The messages as Fulcrum ships them, in English and German; an operator replaces any of them
// (PUT /v1/message-templates/{kind}/{language}) without a deploy. A market whose language has
// no template of its own gets English. The variables each message can use are in view.ts.
import type { MessageKind, MessageTemplate } from './kinds.ts';

const LINES_TEXT = '{{#lines}}- {{quantity}} × {{title}}\n{{/lines}}';
const LINES_HTML = '<ul>{{#lines}}<li>{{quantity}} × {{title}}</li>{{/lines}}</ul>';

function page(body: string): string {
  return `<!doctype html><html><body style="font-family: sans-serif; line-height: 1.5">${body}<p style="color:#666">{{channel}} · {{orderNumber}}</p></body></html>`;
}

const EN: Record<MessageKind, MessageTemplate> = {
  order_confirmed: {
    subject: 'Your order {{orderNumber}} is confirmed',
    text: `Hello {{customerName}},\n\nthank you for your order {{orderNumber}}.\n\n${LINES_TEXT}\nTotal: {{total}}\n{{#estimatedDelivery}}Expected by {{estimatedDelivery}}.\n{{/estimatedDelivery}}`,
    html: page(`<p>Hello {{customerName}},</p><p>thank you for your order {{orderNumber}}.</p>${LINES_HTML}<p>Total: {{total}}</p>{{#estimatedDelivery}}<p>Expected by {{estimatedDelivery}}.</p>{{/estimatedDelivery}}`),
  },
  ready_for_pickup: {
    subject: 'Your order {{orderNumber}} is ready for pickup at {{storeName}}',
    text: `Hello {{customerName}},\n\nyour order {{orderNumber}} is ready at {{storeName}}{{#storeAddress}}, {{storeAddress}}{{/storeAddress}}.\nPickup code: {{pickupCode}}\n{{#pickupUntil}}Please collect it by {{pickupUntil}}.\n{{/pickupUntil}}{{#openingHours.length}}\nOpening hours:\n{{#openingHours}}{{.}}\n{{/openingHours}}{{/openingHours.length}}`,
    html: page(`<p>Hello {{customerName}},</p><p>your order {{orderNumber}} is ready at <b>{{storeName}}</b>{{#storeAddress}}, {{storeAddress}}{{/storeAddress}}.</p><p style="font-size:1.4em">Pickup code: <b>{{pickupCode}}</b></p>{{#pickupUntil}}<p>Please collect it by {{pickupUntil}}.</p>{{/pickupUntil}}{{#openingHours.length}}<p>Opening hours:<br>{{#openingHours}}{{.}}<br>{{/openingHours}}</p>{{/openingHours.length}}`),
  },
  shipped: {
    subject: 'Your order {{orderNumber}} is on its way',
    text: `Hello {{customerName}},\n\nyour order {{orderNumber}} has shipped with {{carrier}}.\nTracking number: {{trackingNumber}}\n{{#trackingUrl}}Track it: {{trackingUrl}}\n{{/trackingUrl}}\n${LINES_TEXT}`,
    html: page(`<p>Hello {{customerName}},</p><p>your order {{orderNumber}} has shipped with {{carrier}}.</p><p>Tracking number: {{#trackingUrl}}<a href="{{trackingUrl}}">{{trackingNumber}}</a>{{/trackingUrl}}{{^trackingUrl}}{{trackingNumber}}{{/trackingUrl}}</p>${LINES_HTML}`),
  },
  delayed: {
    subject: 'Your order {{orderNumber}} is delayed',
    text: 'Hello {{customerName}},\n\nwe are sorry: your order {{orderNumber}} is delayed ({{reason}}).\n{{#newDate}}We now expect it by {{newDate}}.\n{{/newDate}}',
    html: page('<p>Hello {{customerName}},</p><p>we are sorry: your order {{orderNumber}} is delayed ({{reason}}).</p>{{#newDate}}<p>We now expect it by {{newDate}}.</p>{{/newDate}}'),
  },
  cancelled: {
    subject: 'Your order {{orderNumber}} was cancelled',
    text: 'Hello {{customerName}},\n\nyour order {{orderNumber}} was cancelled{{#reason}} ({{reason}}){{/reason}}. You will not be charged for what did not ship.\n',
    html: page('<p>Hello {{customerName}},</p><p>your order {{orderNumber}} was cancelled{{#reason}} ({{reason}}){{/reason}}. You will not be charged for what did not ship.</p>'),
  },
  refunded: {
    subject: 'Your refund of {{refundAmount}} for order {{orderNumber}}',
    text: 'Hello {{customerName}},\n\nwe have refunded {{refundAmount}} for your return {{rma}} of order {{orderNumber}}.\n',
    html: page('<p>Hello {{customerName}},</p><p>we have refunded <b>{{refundAmount}}</b> for your return {{rma}} of order {{orderNumber}}.</p>'),
  },
  return_received: {
    subject: 'We received your return {{rma}}',
    text: 'Hello {{customerName}},\n\nwe received your return {{rma}} of order {{orderNumber}}. Your refund follows.\n',
    html: page('<p>Hello {{customerName}},</p><p>we received your return {{rma}} of order {{orderNumber}}. Your refund follows.</p>'),
  },
};

const DE: Record<MessageKind, MessageTemplate> = {
  order_confirmed: {
    subject: 'Ihre Bestellung {{orderNumber}} ist bestätigt',
    text: `Guten Tag {{customerName}},\n\nvielen Dank für Ihre Bestellung {{orderNumber}}.\n\n${LINES_TEXT}\nGesamt: {{total}}\n{{#estimatedDelivery}}Voraussichtlich bis {{estimatedDelivery}}.\n{{/estimatedDelivery}}`,
    html: page(`<p>Guten Tag {{customerName}},</p><p>vielen Dank für Ihre Bestellung {{orderNumber}}.</p>${LINES_HTML}<p>Gesamt: {{total}}</p>{{#estimatedDelivery}}<p>Voraussichtlich bis {{estimatedDelivery}}.</p>{{/estimatedDelivery}}`),
  },
  ready_for_pickup: {
    subject: 'Ihre Bestellung {{orderNumber}} liegt zur Abholung bereit: {{storeName}}',
    text: `Guten Tag {{customerName}},\n\nIhre Bestellung {{orderNumber}} liegt bei {{storeName}}{{#storeAddress}}, {{storeAddress}}{{/storeAddress}} für Sie bereit.\nAbholcode: {{pickupCode}}\n{{#pickupUntil}}Bitte holen Sie sie bis {{pickupUntil}} ab.\n{{/pickupUntil}}{{#openingHours.length}}\nÖffnungszeiten:\n{{#openingHours}}{{.}}\n{{/openingHours}}{{/openingHours.length}}`,
    html: page(`<p>Guten Tag {{customerName}},</p><p>Ihre Bestellung {{orderNumber}} liegt bei <b>{{storeName}}</b>{{#storeAddress}}, {{storeAddress}}{{/storeAddress}} für Sie bereit.</p><p style="font-size:1.4em">Abholcode: <b>{{pickupCode}}</b></p>{{#pickupUntil}}<p>Bitte holen Sie sie bis {{pickupUntil}} ab.</p>{{/pickupUntil}}{{#openingHours.length}}<p>Öffnungszeiten:<br>{{#openingHours}}{{.}}<br>{{/openingHours}}</p>{{/openingHours.length}}`),
  },
  shipped: {
    subject: 'Ihre Bestellung {{orderNumber}} ist unterwegs',
    text: `Guten Tag {{customerName}},\n\nIhre Bestellung {{orderNumber}} wurde mit {{carrier}} verschickt.\nSendungsnummer: {{trackingNumber}}\n{{#trackingUrl}}Sendungsverfolgung: {{trackingUrl}}\n{{/trackingUrl}}\n${LINES_TEXT}`,
    html: page(`<p>Guten Tag {{customerName}},</p><p>Ihre Bestellung {{orderNumber}} wurde mit {{carrier}} verschickt.</p><p>Sendungsnummer: {{#trackingUrl}}<a href="{{trackingUrl}}">{{trackingNumber}}</a>{{/trackingUrl}}{{^trackingUrl}}{{trackingNumber}}{{/trackingUrl}}</p>${LINES_HTML}`),
  },
  delayed: {
    subject: 'Ihre Bestellung {{orderNumber}} verzögert sich',
    text: 'Guten Tag {{customerName}},\n\nes tut uns leid: Ihre Bestellung {{orderNumber}} verzögert sich ({{reason}}).\n{{#newDate}}Wir erwarten sie jetzt bis {{newDate}}.\n{{/newDate}}',
    html: page('<p>Guten Tag {{customerName}},</p><p>es tut uns leid: Ihre Bestellung {{orderNumber}} verzögert sich ({{reason}}).</p>{{#newDate}}<p>Wir erwarten sie jetzt bis {{newDate}}.</p>{{/newDate}}'),
  },
  cancelled: {
    subject: 'Ihre Bestellung {{orderNumber}} wurde storniert',
    text: 'Guten Tag {{customerName}},\n\nIhre Bestellung {{orderNumber}} wurde storniert{{#reason}} ({{reason}}){{/reason}}. Was nicht verschickt wurde, wird Ihnen nicht berechnet.\n',
    html: page('<p>Guten Tag {{customerName}},</p><p>Ihre Bestellung {{orderNumber}} wurde storniert{{#reason}} ({{reason}}){{/reason}}. Was nicht verschickt wurde, wird Ihnen nicht berechnet.</p>'),
  },
  refunded: {
    subject: 'Ihre Erstattung über {{refundAmount}} zur Bestellung {{orderNumber}}',
    text: 'Guten Tag {{customerName}},\n\nwir haben Ihnen {{refundAmount}} für Ihre Rücksendung {{rma}} der Bestellung {{orderNumber}} erstattet.\n',
    html: page('<p>Guten Tag {{customerName}},</p><p>wir haben Ihnen <b>{{refundAmount}}</b> für Ihre Rücksendung {{rma}} der Bestellung {{orderNumber}} erstattet.</p>'),
  },
  return_received: {
    subject: 'Ihre Rücksendung {{rma}} ist bei uns eingegangen',
    text: 'Guten Tag {{customerName}},\n\nIhre Rücksendung {{rma}} der Bestellung {{orderNumber}} ist bei uns eingegangen. Die Erstattung folgt.\n',
    html: page('<p>Guten Tag {{customerName}},</p><p>Ihre Rücksendung {{rma}} der Bestellung {{orderNumber}} ist bei uns eingegangen. Die Erstattung folgt.</p>'),
  },
};

export const DEFAULT_TEMPLATES: Partial<Record<string, Record<MessageKind, MessageTemplate>>> = { en: EN, de: DE };

/** The built-in template of a kind in a language, English when the language has none. */
export function defaultTemplate(kind: MessageKind, language: string): { template: MessageTemplate; language: string } {
  const own = DEFAULT_TEMPLATES[language]?.[kind];
  return own ? { template: own, language } : { template: EN[kind], language: 'en' };
}
