import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { standardWebhookHeaders } from '../../workers/webhook-dispatcher.ts';

describe('Standard Webhooks headers', () => {
  it('sign "<id>.<timestamp>.<body>" with the secret, timestamp in Unix seconds', () => {
    const headers = standardWebhookHeaders('a-long-shared-secret', 'ord_1:e3', '{"a":1}', 1_700_000_000_123);
    expect(headers['webhook-id']).toBe('ord_1:e3');
    expect(headers['webhook-timestamp']).toBe('1700000000');
    const mac = createHmac('sha256', 'a-long-shared-secret').update('ord_1:e3.1700000000.{"a":1}').digest('base64');
    expect(headers['webhook-signature']).toBe(`v1,${mac}`);
  });

});
