// The built-in sender, for a deployment without SMTP: each message is rendered and kept as
// `recorded`, not `sent` (GET /v1/orders/{id}/messages shows its subject, language and
// template version); nothing leaves. A channel that sends its own messages opts out instead.
import type { MessageSender } from '../../../domain/messages/kinds.ts';

export function createRecordingSender(): MessageSender {
  return { name: 'record', async send() {} };
}
