// Fulcrum's webhooks (POST /hooks/fulcrum). The Standard Webhooks signature is checked first
// (401 otherwise); an order's event mirrors the whole Fulcrum order onto the Medusa order. A
// failure answers 503, so Fulcrum delivers the event again with backoff; a repeat is harmless.
import type { MedusaRequest, MedusaResponse } from '@medusajs/framework/http';
import { ContainerRegistrationKeys } from '@medusajs/framework/utils';
import { FULCRUM_MODULE } from '../../../modules/fulcrum';
import type FulcrumModuleService from '../../../modules/fulcrum/service';
import { verifyWebhook } from '../../../lib/signature';
import { mirrorOrder } from '../../../lib/orders-in';

export async function POST(req: MedusaRequest, res: MedusaResponse) {
  const fulcrumModule = req.scope.resolve<FulcrumModuleService>(FULCRUM_MODULE);
  const logger = req.scope.resolve(ContainerRegistrationKeys.LOGGER);
  const raw = (req as unknown as { rawBody?: Buffer }).rawBody;
  const verdict = raw ? verifyWebhook(fulcrumModule.options.webhookSecret, req.headers, raw) : { ok: false as const, reason: 'no body' };
  if (!verdict.ok) {
    res.status(401).json({ type: 'unauthorized', message: verdict.reason });
    return;
  }
  const event = JSON.parse(raw!.toString('utf8')) as { id: string; type: string; data?: { orderId?: unknown } };
  const orderId = typeof event.data?.orderId === 'string' ? event.data.orderId : undefined;
  if (!orderId) {
    res.status(200).json({ ignored: event.type });
    return;
  }
  try {
    const outcome = await mirrorOrder(req.scope, fulcrumModule, orderId);
    res.status(200).json(outcome);
  } catch (err) {
    logger.error(`fulcrum: ${event.type} ${event.id} for ${orderId} not mirrored yet: ${(err as Error).message}`);
    res.setHeader('Retry-After', '5');
    res.status(503).json({ type: 'unavailable', message: (err as Error).message });
  }
}
