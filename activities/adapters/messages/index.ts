// The customer messages' sender this deployment uses: SMTP when FULCRUM_SMTP_URL is set, else
// the built-in one that records what would have been sent.
import type { MessagesConfig } from '../../../config/messages.ts';
import type { MessageSender } from '../../../domain/messages/kinds.ts';
import { createRecordingSender } from './record.ts';
import { createSmtpSender } from './smtp.ts';

export function createMessageSender(config: Pick<MessagesConfig, 'smtpUrl'>): MessageSender {
  return config.smtpUrl ? createSmtpSender(config.smtpUrl) : createRecordingSender();
}
