// The carrier gateway: where Fulcrum gets live rates for the parcels packed, buys a label for
// the one it chose, and voids it when the shipment will not go. Adapters live in
// activities/adapters/carriers/: the built-in one (the rate cards of carrier-services.ts and
// labels drawn here, for the demo and tests) beside Karrio (one API before UPS, FedEx, DHL,
// USPS and forty more carriers). Choosing among the rates — the cheapest that keeps the
// order's promise — stays Fulcrum's, whichever gateway quotes.
import type { Package } from '../fulfillments/schemas.ts';
import type { Market } from '../markets/schemas.ts';
import type { Money } from '../money.ts';
import type { Address } from '../orders/schemas.ts';
import type { Quote } from './carrier-services.ts';
import type { LabelLanguage } from './label-words.ts';

export const GATEWAY_NAMES = ['builtin', 'karrio'] as const;
export type GatewayName = (typeof GATEWAY_NAMES)[number];

/** The label's printer format: a 4×6 PDF page or ZPL II, one per package. */
export type LabelFormat = 'pdf' | 'zpl';

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
  /** The format a gateway that buys one format only is asked for (the built-in one draws both). */
  format: LabelFormat;
}

export interface PurchasedLabel {
  gateway: GatewayName;
  carrier: string;
  service: string;
  /** The shipment's (master) tracking number: the first package's. */
  trackingNumber: string;
  /** Each package's own tracking number, in the order packed (multi-piece carriers give each parcel one). */
  packageTrackingNumbers: string[];
  rate: Money;
  /** The gateway's id of the shipment, for voiding and support. */
  shipmentId?: string;
  /** The label as bought: the built-in gateway draws both formats, a carrier gives the one asked for. */
  pdf?: Buffer;
  zpl?: string;
}

export interface CarrierGateway {
  readonly name: GatewayName;
  /** Every service that takes these parcels between these two ends, with its price and transit. */
  rates(request: RateRequest): Promise<Quote[]>;
  purchase(request: PurchaseRequest): Promise<PurchasedLabel>;
  /** Tells the carrier a label bought with this reference will not ship (it must not charge for it). */
  void(reference: string): Promise<void>;
}
