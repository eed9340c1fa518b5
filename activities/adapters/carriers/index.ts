// The carrier gateways a deployment runs, and which one a market buys through
// (config/carriers.ts). A label is voided through the gateway that bought it, whatever the
// configuration says now.
import type { CarrierGatewayConfig } from '../../../config/carriers.ts';
import type { CarrierGateway, GatewayName } from '../../../domain/shipping/gateway.ts';
import { createBuiltinGateway } from './builtin.ts';
import { createKarrioGateway } from './karrio.ts';

export interface CarrierGateways {
  /** The gateway a market ships through (none: the default). */
  forMarket(marketId: string | undefined): CarrierGateway;
  /** A gateway by name; throws when this deployment does not run it. */
  named(name: GatewayName): CarrierGateway;
  /** The name of the gateway a market ships through. */
  nameFor(marketId: string | undefined): GatewayName;
}

export function createCarrierGateways(config: CarrierGatewayConfig, given: Partial<Record<GatewayName, CarrierGateway>> = {}): CarrierGateways {
  const gateways: Partial<Record<GatewayName, CarrierGateway>> = {
    builtin: given.builtin ?? createBuiltinGateway(),
    ...(given.karrio ? { karrio: given.karrio } : config.karrio ? { karrio: createKarrioGateway(config.karrio) } : {}),
  };
  const named = (name: GatewayName): CarrierGateway => {
    const gateway = gateways[name];
    if (!gateway) throw new Error(`the ${name} carrier gateway is not configured (KARRIO_URL and KARRIO_API_KEY)`);
    return gateway;
  };
  const nameFor = (marketId: string | undefined): GatewayName => (marketId ? config.byMarket[marketId] : undefined) ?? config.defaultGateway;
  return { forMarket: (marketId) => named(nameFor(marketId)), named, nameFor };
}
