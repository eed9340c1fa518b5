// Customer messages by SMTP, through nodemailer: text and HTML, UTF-8 headers, Fulcrum's
// message id as the Message-ID (a mail system that sees it twice can tell). A permanent
// refusal (an SMTP 5xx: no such mailbox, a rejected sender) is final; anything else (the
// server unreachable, a 4xx "try later") is retried by the dispatcher.
import nodemailer from 'nodemailer';
import { MessageRefused, type MessageSender, type OutgoingMessage } from '../../../domain/messages/kinds.ts';

export function createSmtpSender(url: string, options: { timeoutMs?: number } = {}): MessageSender {
  const timeout = options.timeoutMs ?? 20_000;
  const transport = nodemailer.createTransport(url, { connectionTimeout: timeout, greetingTimeout: timeout, socketTimeout: timeout });
  return {
    name: 'smtp',
    async send(message: OutgoingMessage): Promise<void> {
      try {
        await transport.sendMail({
          messageId: `<${message.messageId}@fulcrum>`,
          from: message.from,
          ...(message.replyTo ? { replyTo: message.replyTo } : {}),
          to: message.to,
          subject: message.subject,
          text: message.text,
          html: message.html,
          headers: { 'X-Fulcrum-Message-Id': message.messageId },
        });
      } catch (err) {
        const code = (err as { responseCode?: number }).responseCode;
        if (code !== undefined && code >= 500 && code < 600) throw new MessageRefused(`the mail server refused it (${code}): ${(err as Error).message}`);
        throw err;
      }
    },
  };
}
