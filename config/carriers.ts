// Which carrier gateway buys labels (issue 30): the built-in one (rate cards and labels drawn
// by Fulcrum: the demo and the tests) or Karrio, for every market or market by market.
//
//   FULCRUM_CARRIER_GATEWAY=builtin|karrio         the default for every market (builtin)
//   FULCRUM_CARRIER_GATEWAY_BY_MARKET=de=karrio,…  markets that differ from the default
//   KARRIO_URL, KARRIO_API_KEY                      the Karrio server and its API key (needed once any market uses it)
//   FULCRUM_KARRIO_TIMEOUT_MS                       how long one call to Karrio may take (8000)
//   FULCRUM_KARRIO_WEBHOOK_SECRET                   the secret of Karrio's webhook to POST /v1/carrier-gateways/karrio/events
import { GATEWAY_NAMES, type GatewayName } from '../domain/shipping/gateway.ts';
import { choicesByKey, nonEmpty, oneOf } from './env.ts';

export interface CarrierGatewayConfig {
  defaultGateway: GatewayName;
  byMarket: Record<string, GatewayName>;
  karrio?: { url: string; apiKey: string; timeoutMs: number };
  /** Unset: Karrio's webhooks are refused (401). */
  karrioWebhookSecret?: string;
}

export function loadCarrierGatewayConfig(env: NodeJS.ProcessEnv): CarrierGatewayConfig {
  const defaultGateway = oneOf(nonEmpty(env.FULCRUM_CARRIER_GATEWAY) ?? 'builtin', GATEWAY_NAMES, 'FULCRUM_CARRIER_GATEWAY');
  const byMarket = choicesByKey(env.FULCRUM_CARRIER_GATEWAY_BY_MARKET, 'FULCRUM_CARRIER_GATEWAY_BY_MARKET', /^[a-z0-9][a-z0-9_-]{0,63}$/, GATEWAY_NAMES, 'market=gateway: de=karrio,us=builtin');
  const url = nonEmpty(env.KARRIO_URL);
  const apiKey = nonEmpty(env.KARRIO_API_KEY);
  const usesKarrio = defaultGateway === 'karrio' || Object.values(byMarket).includes('karrio');
  if (usesKarrio && (!url || !apiKey)) throw new Error('config: the Karrio carrier gateway needs KARRIO_URL and KARRIO_API_KEY');
  if (url && !/^https?:\/\/[^\s/]+(\/[^\s]*)?$/.test(url)) throw new Error(`config: KARRIO_URL must be an http(s) URL, got "${url}"`);
  const timeoutRaw = nonEmpty(env.FULCRUM_KARRIO_TIMEOUT_MS) ?? '8000';
  const timeoutMs = Number(timeoutRaw);
  if (!Number.isInteger(timeoutMs) || timeoutMs < 100 || timeoutMs > 120_000) throw new Error(`config: FULCRUM_KARRIO_TIMEOUT_MS must be a whole number of milliseconds from 100 to 120000, got "${timeoutRaw}"`);
  const secret = nonEmpty(env.FULCRUM_KARRIO_WEBHOOK_SECRET);
  if (secret !== undefined && secret.length < 16) throw new Error('config: FULCRUM_KARRIO_WEBHOOK_SECRET must be at least 16 characters');
  return {
    defaultGateway,
    byMarket,
    ...(url && apiKey ? { karrio: { url, apiKey, timeoutMs } } : {}),
    ...(secret ? { karrioWebhookSecret: secret } : {}),
  };
}
