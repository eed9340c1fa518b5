// Sends customer messages from the outbox (issue 30): fans new business events out to the
// messages they call for (one per event and recipient), then composes and sends the due ones,
// retrying a failure with exponential backoff for up to a day; a message the mail system
// refused for good, or still failing after a day, is `failed` with the reason (ops see it on
// the order). State lives in Postgres: a restart loses nothing, and several workers may run it
// side by side (messages are claimed with SKIP LOCKED and a lease).
import type { Logger } from 'pino';
import type { Db } from '../db/knex.ts';
import { createMessagesRepository } from '../db/repositories/messages.ts';
import { MessageRefused, type MessageSender } from '../domain/messages/kinds.ts';
import { createMessageComposer, type ComposeOptions } from '../services/messages/compose.ts';

export interface MessageDispatcherOptions extends ComposeOptions {
  db: Db;
  logger: Logger;
  sender: MessageSender;
  intervalMs?: number;
  /** First retry delay; doubles each attempt, capped at an hour. */
  baseDelayMs?: number;
  /** How long a message is retried before it is given up. */
  retryForMs?: number;
}

export function startMessageDispatcher(options: MessageDispatcherOptions): { stop(): Promise<void> } {
  const repo = createMessagesRepository(options.db);
  const composer = createMessageComposer(options.db, options);
  const interval = options.intervalMs ?? 1000;
  const baseDelay = options.baseDelayMs ?? 5000;
  const retryFor = options.retryForMs ?? 24 * 3600_000;
  let stopped = false;
  let wake: (() => void) | undefined;

  async function sendOne(queued: Awaited<ReturnType<typeof repo.claim>>[number]): Promise<void> {
    try {
      const composed = await composer.compose(queued);
      if (!composed.ok) return repo.finished(queued.messageId, 'skipped', composed.skip);
      await options.sender.send(composed.message);
      await repo.sent(queued.messageId, { language: composed.language, templateVersion: composed.templateVersion, subject: composed.message.subject }, options.sender.name === 'smtp' ? 'sent' : 'recorded');
    } catch (err) {
      const reason = (err as Error).message;
      const age = Date.now() - new Date(queued.createdAt).getTime();
      if (err instanceof MessageRefused || age > retryFor) {
        options.logger.warn({ messageId: queued.messageId, orderId: queued.orderId, reason }, 'customer message failed');
        return repo.finished(queued.messageId, 'failed', reason);
      }
      const delay = Math.min(3600_000, baseDelay * 2 ** Math.max(0, queued.attempts - 1));
      await repo.retryLater(queued.messageId, reason, new Date(Date.now() + delay));
    }
  }

  const loop = (async () => {
    while (!stopped) {
      let busy = false;
      try {
        busy = (await repo.fanOut()) > 0;
        const due = await repo.claim(20, 60_000);
        for (const queued of due) await sendOne(queued);
        busy ||= due.length > 0;
      } catch (err) {
        options.logger.warn({ err }, 'customer messages: a round failed; trying again');
      }
      if (!busy && !stopped) await new Promise<void>((resolve) => { wake = resolve; setTimeout(resolve, interval); });
    }
  })();

  return {
    async stop() {
      stopped = true;
      wake?.();
      await loop;
    },
  };
}
