// Templates are Mustache (logic-less: `{{name}}`, sections `{{#lines}}…{{/lines}}`); the HTML
// part escapes what it inserts, the text and subject do not. A template that does not parse
// is refused when it is saved, with Mustache's message.
import Mustache from 'mustache';
import type { MessageTemplate } from './kinds.ts';

const verbatim = { escape: (value: unknown) => String(value) };
const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
// What HTML needs escaped, in text and in quoted attributes; links stay readable (Mustache's own also escapes / = `).
const html = { escape: (value: unknown) => String(value).replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!) };

export function renderMessage(template: MessageTemplate, view: Record<string, unknown>): MessageTemplate {
  return {
    subject: Mustache.render(template.subject, view, {}, verbatim).replace(/\s+/g, ' ').trim(),
    text: Mustache.render(template.text, view, {}, verbatim),
    html: Mustache.render(template.html, view, {}, html),
  };
}

/** Why a template cannot be used, per part, or nothing. */
export function templateErrors(template: MessageTemplate): { path: string; message: string }[] {
  const errors: { path: string; message: string }[] = [];
  for (const part of ['subject', 'text', 'html'] as const) {
    try {
      Mustache.parse(template[part]);
    } catch (err) {
      errors.push({ path: part, message: `is not a valid template: ${(err as Error).message}` });
    }
  }
  return errors;
}
