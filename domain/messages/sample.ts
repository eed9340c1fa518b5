// The order a template is previewed with when no real one is named: every variable of every
// message has something to show.
import type { Order } from '../orders/schemas.ts';

export function sampleOrder(): Order {
  const at = new Date().toISOString();
  return {
    id: 'ord_sample',
    channel: 'web',
    channelOrderId: 'WEB-10042',
    status: 'shipped',
    createdAt: at,
    updatedAt: at,
    customer: { id: 'c-sample', name: 'Ada Lovelace', email: 'ada@example.com' },
    fulfillmentMethod: 'ship',
    serviceLevel: 'standard',
    payment: { authorizationId: 'pay_sample', amount: { amount: 4990, currency: 'USD' } },
    lines: [
      { lineId: '1', sku: 'TEE-BLK-M', quantity: 2, unitPrice: { amount: 1500, currency: 'USD' }, allocated: 2, cancelled: 0, shipped: 2, returned: 0 },
      { lineId: '2', sku: 'CAP-RED', quantity: 1, unitPrice: { amount: 1990, currency: 'USD' }, allocated: 1, cancelled: 0, shipped: 1, returned: 0 },
    ],
    fulfillments: [
      {
        id: 'ful_sample',
        locationId: 'STORE-1',
        method: 'ship',
        status: 'shipped',
        lines: [{ lineId: '1', quantity: 2 }, { lineId: '2', quantity: 1 }],
        carrier: 'ParcelCo',
        service: 'ground',
        trackingNumber: 'PA123456789012',
        pickupCode: '482913',
        pickupExpiresAt: at,
        estimatedDelivery: at.slice(0, 10),
      },
    ],
    holds: [],
    events: [],
  } as unknown as Order;
}
