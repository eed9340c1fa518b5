// Temporal Cloud's ways in: the API key setting (implies TLS, switches registration to a check),
// and the search-attribute check for a namespace whose operator API may not add them — it fails
// naming what is missing. (Temporal Cloud itself is not reachable from CI; an API key over TLS
// is tested in temporal-tls.test.ts.)
import { Connection } from '@temporalio/client';
import { describe, expect, inject, it } from 'vitest';
import { loadConfig } from '../../config/index.ts';
import { ensureSearchAttributes } from '../../workers/register-search-attributes.ts';

describe('Temporal Cloud connections', () => {

  it('checks a namespace for the search attributes and names the missing ones, registering them only when allowed', async () => {
    const namespace = `fulcrum-check-${Date.now()}`;
    const connection = await Connection.connect({ address: inject('temporalAddress') });
    await connection.workflowService.registerNamespace({ namespace, workflowExecutionRetentionPeriod: { seconds: 86_400 as never } });
    await connection.close();
    await expect(ensureSearchAttributes(inject('temporalAddress'), namespace, {}, 'check')).rejects.toThrow(
      /lacks the search attributes .*OrderStatus \(Keyword\).*FulfillmentLocations \(KeywordList\).*OnHold \(Bool\)/,
    );
    await ensureSearchAttributes(inject('temporalAddress'), namespace, {}, 'create');
    await expect(ensureSearchAttributes(inject('temporalAddress'), namespace, {}, 'check')).resolves.toBeUndefined();
  });

  it('turns on TLS and the check for an API key, and refuses a wrong search-attribute mode', () => {
    const cloud = loadConfig({ TEMPORAL_API_KEY: 'k' });
    expect(cloud).toMatchObject({ temporalApiKey: 'k', searchAttributes: 'check', temporalTls: { enabled: true } });
    expect(loadConfig({}).searchAttributes).toBe('create');
    expect(loadConfig({ TEMPORAL_API_KEY: 'k', FULCRUM_SEARCH_ATTRIBUTES: 'create' }).searchAttributes).toBe('create');
    expect(() => loadConfig({ FULCRUM_SEARCH_ATTRIBUTES: 'maybe' })).toThrow(/FULCRUM_SEARCH_ATTRIBUTES/);
  });
});
