// How this deployment talks to Temporal: TLS (server-verified, or mutual with a client
// certificate), a Temporal Cloud API key, and the data converter that encrypts payloads. Shared by the worker, the API
// and the scripts, so every client seals and opens payloads alike.
import { readFileSync } from 'node:fs';
import type { TLSConfig } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import type { FulcrumConfig } from '../../config/index.ts';
import { EncryptionCodec, parsePayloadKeys } from './payload-codec.ts';

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

export function payloadCodec(config: Pick<FulcrumConfig, 'payloadKeys' | 'payloadKeyId'>): EncryptionCodec | undefined {
  if (!config.payloadKeys) return undefined;
  const keys = parsePayloadKeys(config.payloadKeys);
  return new EncryptionCodec(keys, config.payloadKeyId ?? [...keys.keys()][0]!);
}

export function dataConverter(config: Pick<FulcrumConfig, 'payloadKeys' | 'payloadKeyId'>): DataConverter | undefined {
  const codec = payloadCodec(config);
  return codec ? { payloadCodecs: [codec] } : undefined;
}
