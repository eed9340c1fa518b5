// How this deployment talks to Temporal: TLS (server-verified, or mutual with a client
// certificate), a Temporal Cloud API key, and the data converter that encrypts payloads. Shared by the worker, the API
// and the scripts, so every client seals and opens payloads alike.
import { readFileSync } from 'node:fs';
import type { TLSConfig } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import type { FulcrumConfig } from '../../config/index.ts';
import type { Db } from '../../db/knex.ts';
import { createDataRegionResolver } from './data-regions.ts';
import { EncryptionCodec, parsePayloadKeys, parseRegionKeys } from './payload-codec.ts';

type CodecConfig = Pick<FulcrumConfig, 'payloadKeys' | 'payloadKeyId'> & Partial<Pick<FulcrumConfig, 'payloadRegionKeys'>>;

export function temporalTls(config: Pick<FulcrumConfig, 'temporalTls'>): TLSConfig | undefined {
  const tls = config.temporalTls;
  if (!tls.enabled) return undefined;
  return {
    ...(tls.serverName ? { serverNameOverride: tls.serverName } : {}),
    ...(tls.caPath ? { serverRootCACertificate: readFileSync(tls.caPath) } : {}),
    ...(tls.certPath && tls.keyPath ? { clientCertPair: { crt: readFileSync(tls.certPath), key: readFileSync(tls.keyPath) } } : {}),
  };
}

/** How every Fulcrum process reaches Temporal: its TLS settings and, on Temporal Cloud, its API key. */
export function temporalAccess(config: Pick<FulcrumConfig, 'temporalTls' | 'temporalApiKey'>): { tls?: TLSConfig; apiKey?: string } {
  const tls = temporalTls(config);
  return { ...(tls ? { tls } : {}), ...(config.temporalApiKey ? { apiKey: config.temporalApiKey } : {}) };
}

/**
 * The payload codec of this process. With the database it seals the payloads of a market
 * with a `dataRegion` with that region's key (FULCRUM_PAYLOAD_REGION_KEYS); without it (the
 * scripts) it opens them all but seals with the deployment's key only.
 */
export function payloadCodec(config: CodecConfig, db?: Db): EncryptionCodec | undefined {
  if (!config.payloadKeys) return undefined;
  const keys = parsePayloadKeys(config.payloadKeys);
  const regions = parseRegionKeys(config.payloadRegionKeys ?? '');
  // The deployment's current key: named, else the first key that belongs to no region.
  const regional = new Set([...regions.values()].flat());
  const current = config.payloadKeyId ?? [...keys.keys()].find((id) => !regional.has(id)) ?? [...keys.keys()][0]!;
  return new EncryptionCodec(keys, current, { regions, ...(db ? { resolve: createDataRegionResolver(db) } : {}) });
}

export function dataConverter(config: CodecConfig, db?: Db): DataConverter | undefined {
  const codec = payloadCodec(config, db);
  return codec ? { payloadCodecs: [codec] } : undefined;
}
