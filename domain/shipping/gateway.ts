// The carrier gateway: where Fulcrum gets live rates for the parcels packed, buys a label for
// the one it chose, and voids it when the shipment will not go. Adapters live in
// activities/adapters/carriers/: the built-in one (the rate cards of carrier-services.ts and
// labels drawn here, for the demo and tests) beside real gateways. Choosing among the rates —
// the cheapest that keeps the order's promise — stays Fulcrum's, whichever gateway quotes.
import type { Package } from '../fulfillments/schemas.ts';
import type { Market } from '../markets/schemas.ts';
import type { Money } from '../money.ts';
import type { Address } from '../orders/schemas.ts';
import type { Quote } from './carrier-services.ts';
import type { LabelLanguage } from './label-words.ts';

export type GatewayName = 'builtin';

/** One end of a shipment: who, where (a location may have no street address), and its coordinates. */
export interface ShipmentParty {
  name: string;
  address?: Omit<Address, 'name' | 'geo'>;
  geo?: { lat: number; lon: number };
}

export interface RateRequest {
  from: ShipmentParty;
  to: ShipmentParty;
  packages: Package[];
  /** The market shipped in: its carriers and currency. */
  market?: Market;
}

/** What a printed label says besides the carrier's own marks: the sender, recipient and references, in the market's language. */
export interface LabelText {
  shipFrom: string[];
  shipTo: { recipient: string; lines: string[] };
  references: string[];
  language?: LabelLanguage;
}

export interface PurchaseRequest extends RateRequest {
  /** One label per reference (a fulfillment's or a return's id): buying again with it answers the label already bought. */
  reference: string;
  rate: Quote;
  text: LabelText;
}

export interface PurchasedLabel {
  gateway: GatewayName;
  carrier: string;
  service: string;
  trackingNumber: string;
  rate: Money;
  /** The label for every printer: a 4×6 PDF and ZPL. */
  pdf: Buffer;
  zpl: string;
}

export interface CarrierGateway {
  readonly name: GatewayName;
  /** Every service that takes these parcels between these two ends, with its price and transit. */
  rates(request: RateRequest): Promise<Quote[]>;
  purchase(request: PurchaseRequest): Promise<PurchasedLabel>;
  /** Tells the carrier a label bought with this reference will not ship (it must not charge for it). */
  void(reference: string): Promise<void>;
}
