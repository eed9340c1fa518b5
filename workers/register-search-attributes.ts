// Registers the contract's search attributes on an external Temporal server (the dev
// server gets them as launch flags). Idempotent: attributes already there are left alone.
import { Connection, type TLSConfig } from '@temporalio/client';
import proto from '@temporalio/proto';
import { searchAttributeCliTypes } from '../workflows/search-attributes.ts';

// @temporalio/proto is CommonJS: take the namespace from its default export.
const IndexedValueType = proto.temporal.api.enums.v1.IndexedValueType;
const typeByCliName: Record<string, proto.temporal.api.enums.v1.IndexedValueType> = {
  Keyword: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
  KeywordList: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD_LIST,
  Bool: IndexedValueType.INDEXED_VALUE_TYPE_BOOL,
};

/**
 * Over the same TLS settings and API key as the worker and the API (`temporalAccess`; a TLS-only
 * server refuses a plain connection). `check` (Temporal Cloud, whose operator API cannot add them) only fails
 * naming what is missing, so the worker does not start with queries ops rely on broken.
 */
export async function ensureSearchAttributes(
  address: string,
  namespace: string,
  access: { tls?: TLSConfig; apiKey?: string } = {},
  mode: 'create' | 'check' = 'create',
): Promise<void> {
  const connection = await Connection.connect({ address, ...access });
  try {
    const existing = await connection.operatorService.listSearchAttributes({ namespace });
    const known = new Set([...Object.keys(existing.customAttributes ?? {}), ...Object.keys(existing.systemAttributes ?? {})]);
    const missing = Object.entries(searchAttributeCliTypes).filter(([name]) => !known.has(name));
    if (missing.length === 0) return;
    if (mode === 'check') {
      throw new Error(
        `Temporal namespace ${namespace} lacks the search attributes ${missing.map(([name, type]) => `${name} (${type})`).join(', ')}. ` +
          'Add them to the namespace (on Temporal Cloud: `tcld namespace search-attributes add`, or the Cloud UI), or set FULCRUM_SEARCH_ATTRIBUTES=create where the operator API may add them.',
      );
    }
    await connection.operatorService.addSearchAttributes({
      namespace,
      searchAttributes: Object.fromEntries(missing.map(([name, type]) => [name, typeByCliName[type]!])),
    });
  } finally {
    await connection.close();
  }
}
