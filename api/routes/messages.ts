// Customer messages: the templates an operator changes without a deploy (each save a new
// version; previewed before or after saving), each channel's sender, reply-to and opt-outs,
// and the messages an order's customer was sent (or why not).
import { z } from 'zod';
import { MAIL_ADDRESS } from '../../config/messages.ts';
import { MESSAGE_KINDS, MESSAGE_LANGUAGES, type MessageKind } from '../../domain/messages/kinds.ts';
import { renderMessage, templateErrors } from '../../domain/messages/render.ts';
import { sampleOrder } from '../../domain/messages/sample.ts';
import { text } from '../../domain/text.ts';
import { currentOrder } from '../../services/orders/intake.ts';
import { canSeeOrder } from '../access.ts';
import type { ApiDeps } from '../deps.ts';
import { validationProblem } from '../problem.ts';
import { defineRoute, notFound } from '../route.ts';
import { problemResponses } from './common.ts';

const TemplateParams = z.object({ event: z.enum(MESSAGE_KINDS), language: z.enum(MESSAGE_LANGUAGES) });
const TemplateBody = z
  .object({
    subject: text(300),
    text: text(20_000),
    html: text(100_000),
  })
  .strict();
const TemplateResource = z.object({
  event: z.enum(MESSAGE_KINDS),
  language: z.string().describe('The language of the template in force (English when this language has none of its own)'),
  version: z.int().describe('0: the built-in template; each save adds one'),
  subject: z.string(),
  text: z.string(),
  html: z.string(),
  author: z.string().optional(),
  createdAt: z.string().optional(),
});
const PreviewBody = z
  .object({
    orderId: text(100).optional().describe('Render for this order (a sample order when left out)'),
    template: TemplateBody.optional().describe('A draft to render instead of the template in force'),
  })
  .strict();
const Address = text(300).refine((a) => MAIL_ADDRESS.test(a), 'must be an email address such as "Shop <orders@example.com>"');
const SettingsBody = z
  .object({
    from: Address.optional().describe('The sender of this channel\'s messages (FULCRUM_MAIL_FROM when left out)'),
    replyTo: Address.optional(),
    optOut: z.array(z.enum(MESSAGE_KINDS)).max(MESSAGE_KINDS.length).default([]).describe('Messages this channel sends itself: Fulcrum sends none of these'),
  })
  .strict();
const SettingsResource = z.object({ channel: z.string(), from: z.string().optional(), replyTo: z.string().optional(), optOut: z.array(z.enum(MESSAGE_KINDS)) });
const MessageResource = z.object({
  messageId: z.string(),
  event: z.enum(MESSAGE_KINDS),
  to: z.string().nullable(),
  status: z.enum(['pending', 'sent', 'recorded', 'failed', 'skipped']).describe('recorded: rendered and kept, no SMTP configured; skipped: opted out or no email'),
  attempts: z.int(),
  language: z.string().optional(),
  templateVersion: z.int().optional(),
  subject: z.string().optional(),
  lastError: z.string().optional(),
  sentAt: z.string().optional(),
  createdAt: z.string(),
});

async function templateInForce(deps: ApiDeps, event: MessageKind, language: string) {
  const chosen = await deps.messageComposer.templateFor(event, language);
  const stored = chosen.version > 0 ? await deps.messages.template(event, chosen.language) : undefined;
  const { subject, text, html } = chosen.template;
  return { event, language: chosen.language, version: chosen.version, subject, text, html, ...(stored ? { author: stored.author, createdAt: stored.createdAt } : {}) };
}

export const messageRoutes = [
  defineRoute({
    method: 'get',
    path: '/v1/message-templates/{event}/{language}',
    operationId: 'getMessageTemplate',
    summary: 'The template in force for a customer message in a language',
    description: 'Mustache templates (`{{customerName}}`, `{{#lines}}…{{/lines}}`); docs/messages.md lists the variables of each message.',
    tag: 'Messages',
    roles: ['ops'],
    params: TemplateParams,
    responses: { 200: { description: 'The template', schema: TemplateResource }, ...problemResponses(401, 403, 422) },
    async handler({ params, deps }) {
      return { status: 200, body: await templateInForce(deps, params.event, params.language) };
    },
  }),
  defineRoute({
    method: 'put',
    path: '/v1/message-templates/{event}/{language}',
    operationId: 'putMessageTemplate',
    summary: 'Save a new version of a customer message template; messages sent from now on use it',
    tag: 'Messages',
    roles: ['ops'],
    params: TemplateParams,
    body: TemplateBody,
    responses: { 200: { description: 'The template saved', schema: TemplateResource }, ...problemResponses(401, 403, 422) },
    async handler({ params, body, principal, deps }) {
      const errors = templateErrors(body);
      if (errors.length > 0) throw validationProblem(errors);
      const { kind, ...saved } = await deps.messages.saveTemplate(params.event, params.language, body, `${principal.role}:${principal.name}`);
      return { status: 200, body: { ...saved, event: kind } };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/v1/message-templates/{event}/{language}/preview',
    operationId: 'previewMessageTemplate',
    summary: 'Render a template (the one in force, or a draft) for an order or a sample order; nothing is sent',
    tag: 'Messages',
    roles: ['ops'],
    params: TemplateParams,
    body: PreviewBody,
    responses: { 200: { description: 'The message as the customer would get it', schema: z.object({ subject: z.string(), text: z.string(), html: z.string() }) }, ...problemResponses(401, 403, 404, 422) },
    async handler({ params, body, deps }) {
      if (body.template) {
        const errors = templateErrors(body.template).map((e) => ({ ...e, path: `template.${e.path}` }));
        if (errors.length > 0) throw validationProblem(errors);
      }
      const row = body.orderId ? await deps.orders.get(body.orderId) : undefined;
      if (body.orderId && !row) throw notFound('Order', body.orderId);
      const order = row ? await currentOrder(deps, row) : sampleOrder();
      if (!order) throw notFound('Order', body.orderId!);
      const rendered = await deps.messageComposer.render(params.event, order, { reason: 'a sample reason', rma: 'RMA-SAMPLE', amount: order.payment.amount }, params.language);
      const drafted = body.template ? renderMessage(body.template, rendered.view) : rendered.rendered;
      return { status: 200, body: drafted };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/v1/message-settings/{channel}',
    operationId: 'getMessageSettings',
    summary: "A channel's sender, reply-to and the messages it sends itself",
    tag: 'Messages',
    roles: ['ops'],
    params: z.object({ channel: text(64) }),
    responses: { 200: { description: 'The settings', schema: SettingsResource }, ...problemResponses(401, 403) },
    async handler({ params, deps }) {
      return { status: 200, body: await deps.messages.settings(params.channel) };
    },
  }),
  defineRoute({
    method: 'put',
    path: '/v1/message-settings/{channel}',
    operationId: 'putMessageSettings',
    summary: "Set a channel's sender, reply-to and opt-outs",
    tag: 'Messages',
    roles: [],
    params: z.object({ channel: text(64) }),
    body: SettingsBody,
    responses: { 200: { description: 'The settings', schema: SettingsResource }, ...problemResponses(401, 403, 422) },
    async handler({ params, body, deps }) {
      return { status: 200, body: await deps.messages.saveSettings({ channel: params.channel, ...body }) };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/v1/orders/{id}/messages',
    operationId: 'listOrderMessages',
    summary: "The messages the order's customer was sent, or why not",
    tag: 'Messages',
    roles: ['channel', 'ops'],
    params: z.object({ id: text(100) }),
    responses: { 200: { description: 'The messages', schema: z.object({ items: z.array(MessageResource) }) }, ...problemResponses(401, 403, 404) },
    async handler({ params, principal, deps }) {
      const row = await deps.orders.get(params.id);
      if (!row || !canSeeOrder(principal, row)) throw notFound('Order', params.id);
      const items = (await deps.messages.ofOrder(params.id)).map(({ kind, recipient, eventId: _e, orderId: _o, channel: _c, data: _d, ...m }) => ({ ...m, event: kind, to: recipient }));
      return { status: 200, body: { items } };
    },
  }),
];
