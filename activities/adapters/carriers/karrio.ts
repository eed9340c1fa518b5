// The Karrio carrier gateway (https://karrio.io, open source): one REST API before UPS, FedEx,
// DHL, USPS, Canada Post, DPD, EasyPost and forty more carriers, whose accounts are connected
// in Karrio, not here. Fulcrum asks it for live rates of the parcels packed, buys the service
// it chose with the shipment's reference (a fulfillment's or a return's id), and cancels by
// that reference. Buying looks the reference up first, so a retried purchase — the worker died
// between Karrio's answer and Fulcrum's record of it — returns the shipment already bought.
//
// Karrio's rates are matched to the market's rate cards (domain/shipping/carrier-services.ts)
// by carrier (Karrio's carrier_id of the connection) and service code: the card says which
// promise the service keeps and its daily cut-off, Karrio says what it costs today. A rate no
// card names is not bought. Outages and 5xx answers are thrown to be retried; a refusal
// (4xx, or a carrier's error) is not, and says what Karrio said.
import { ApplicationFailure } from '@temporalio/activity';
import { carrierServicesFor } from '../../../domain/markets/rules.ts';
import { toMinorUnits } from '../../../domain/money.ts';
import type { Quote } from '../../../domain/shipping/carrier-services.ts';
import type { CarrierGateway, PurchasedLabel, PurchaseRequest, RateRequest, ShipmentParty } from '../../../domain/shipping/gateway.ts';

export interface KarrioOptions {
  /** The Karrio server's base URL (http or https), e.g. https://karrio.internal:5002. */
  url: string;
  /** An API key of the Karrio organization whose carrier connections Fulcrum uses (`Authorization: Token …`). */
  apiKey: string;
  /** How long one call to Karrio may take. */
  timeoutMs?: number;
}

/** What Karrio answers for one rate or shipment (the fields Fulcrum reads). */
interface KarrioRate {
  carrier_id: string;
  carrier_name: string;
  service: string;
  total_charge: number;
  currency: string;
  transit_days?: number | null;
}

interface KarrioShipment {
  id: string;
  status: string;
  carrier_id: string;
  tracking_number: string;
  reference?: string | null;
  label_type?: string | null;
  label_url?: string | null;
  selected_rate?: KarrioRate | null;
  parcels: { reference_number?: string | null }[];
  messages?: { message: string; code?: string }[];
}

/** The failure type of a request Karrio refused: retrying it would be refused again. */
export const CARRIER_GATEWAY_REFUSED = 'CarrierGatewayRefused';

function address(party: ShipmentParty, role: string): Record<string, string> {
  if (!party.address) {
    throw ApplicationFailure.nonRetryable(`the ${role} (${party.name}) has no postal address, which carriers need to rate and label a parcel`, 'NoCarrierService');
  }
  const a = party.address;
  return {
    person_name: party.name.slice(0, 100),
    address_line1: a.line1,
    ...(a.line2 ? { address_line2: a.line2 } : {}),
    city: a.city,
    state_code: a.region,
    postal_code: a.postalCode,
    country_code: a.country,
  };
}

function parcels(request: RateRequest) {
  return request.packages.map((p) => ({
    weight: p.weightGrams / 1000,
    weight_unit: 'KG',
    length: p.lengthCm,
    width: p.widthCm,
    height: p.heightCm,
    dimension_unit: 'CM',
  }));
}

function sameCarrier(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/** Karrio's REST API as the gateway uses it: calls to its own host only, refusals told apart from outages. */
function karrioApi(options: KarrioOptions) {
  const base = new URL(options.url);
  if (base.protocol !== 'http:' && base.protocol !== 'https:') throw new Error(`Karrio's URL must be http(s), got ${options.url}`);
  const timeoutMs = options.timeoutMs ?? 30_000;

  /** One call to Karrio, always to its own host: paths are Fulcrum's, never taken from an answer unchecked. */
  async function call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ status: number; body: T }> {
    const url = new URL(path, base);
    let res: Response;
    try {
      res = await fetch(url, {
        method,
        headers: { authorization: `Token ${options.apiKey}`, accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (err) {
      throw new Error(`Karrio at ${base.host} did not answer ${method} ${url.pathname}: ${(err as Error).message}`);
    }
    const text = await res.text();
    if (res.status >= 500 || res.status === 429 || res.status === 408) throw new Error(`Karrio answered ${res.status} to ${method} ${url.pathname}: ${text.slice(0, 300)}`);
    let parsed: unknown;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      throw new Error(`Karrio answered ${res.status} to ${method} ${url.pathname} with something that is not JSON`);
    }
    return { status: res.status, body: parsed as T };
  }

  function refused(what: string, body: unknown): never {
    const messages = (body as { messages?: { message: string }[]; errors?: { message: string }[] } | undefined) ?? {};
    const said = [...(messages.messages ?? []), ...(messages.errors ?? [])].map((m) => m.message).join('; ') || JSON.stringify(body).slice(0, 300);
    throw ApplicationFailure.nonRetryable(`Karrio refused ${what}: ${said}`.slice(0, 1000), CARRIER_GATEWAY_REFUSED);
  }

  /** The shipments bought with a reference and not cancelled. */
  async function shipmentsOf(reference: string): Promise<KarrioShipment[]> {
    const found = await call<{ results?: KarrioShipment[] }>('GET', `/v1/shipments?reference=${encodeURIComponent(reference)}`);
    if (found.status !== 200) refused(`the lookup of ${reference}`, found.body);
    // Karrio matches references by substring: only the exact one is this shipment.
    return (found.body.results ?? []).filter((s) => s.reference === reference && s.status !== 'cancelled');
  }

  async function labelOf(shipment: KarrioShipment): Promise<{ pdf?: Buffer; zpl?: string }> {
    const format = (shipment.label_type ?? 'PDF').toUpperCase() === 'ZPL' ? 'zpl' : 'pdf';
    // Karrio's own download path for the shipment's label, built here rather than followed.
    const url = new URL(`/v1/shipments/${encodeURIComponent(shipment.id)}/label.${format}`, base);
    let res: Response;
    try {
      res = await fetch(url, { headers: { authorization: `Token ${options.apiKey}` }, signal: AbortSignal.timeout(timeoutMs) });
    } catch (err) {
      throw new Error(`Karrio at ${base.host} did not give the label of ${shipment.id}: ${(err as Error).message}`);
    }
    if (!res.ok) throw new Error(`Karrio answered ${res.status} for the label of ${shipment.id}`);
    const bytes = Buffer.from(await res.arrayBuffer());
    return format === 'zpl' ? { zpl: bytes.toString('utf8') } : { pdf: bytes };
  }

  async function bought(shipment: KarrioShipment): Promise<PurchasedLabel> {
    const rate = shipment.selected_rate;
    if (!rate || !shipment.tracking_number) refused(`to give a label for ${shipment.reference}`, shipment);
    const packageNumbers = shipment.parcels.map((p) => p.reference_number ?? shipment.tracking_number);
    return {
      gateway: 'karrio',
      carrier: rate.carrier_id,
      service: rate.service,
      trackingNumber: shipment.tracking_number,
      packageTrackingNumbers: packageNumbers,
      rate: { amount: toMinorUnits(rate.total_charge, rate.currency), currency: rate.currency },
      shipmentId: shipment.id,
      ...(await labelOf(shipment)),
    };
  }

  return { base, call, refused, shipmentsOf, bought };
}

export function createKarrioGateway(options: KarrioOptions): CarrierGateway {
  const { call, refused, shipmentsOf, bought } = karrioApi(options);
  return {
    name: 'karrio',

    async rates(request: RateRequest): Promise<Quote[]> {
      const cards = carrierServicesFor(request.market);
      const answer = await call<{ rates?: KarrioRate[]; messages?: unknown[] }>('POST', '/v1/proxy/rates', {
        shipper: address(request.from, 'sender'),
        recipient: address(request.to, 'recipient'),
        parcels: parcels(request),
      });
      if (answer.status !== 200) refused('to rate the parcels', answer.body);
      return (answer.body.rates ?? []).flatMap((rate) => {
        const card = cards.find((c) => sameCarrier(c.carrier, rate.carrier_id) && c.service === rate.service);
        if (!card) return [];
        return [{
          carrier: card.carrier,
          service: card.service,
          level: card.level,
          amount: toMinorUnits(rate.total_charge, rate.currency),
          currency: rate.currency,
          transitDays: rate.transit_days ?? card.zones[0]?.transitDays ?? 5,
          cutoffHour: card.cutoffHour,
        }];
      });
    },

    async purchase(request: PurchaseRequest): Promise<PurchasedLabel> {
      const already = (await shipmentsOf(request.reference))[0];
      if (already) return bought(already);
      const answer = await call<KarrioShipment>('POST', '/v1/shipments', {
        shipper: address(request.from, 'sender'),
        recipient: address(request.to, 'recipient'),
        parcels: parcels(request),
        service: request.rate.service,
        carrier_ids: [request.rate.carrier],
        label_type: request.format === 'zpl' ? 'ZPL' : 'PDF',
        reference: request.reference,
        metadata: { fulcrum_reference: request.reference },
      });
      if (answer.status !== 200 && answer.status !== 201) refused(`to buy ${request.rate.carrier} ${request.rate.service} for ${request.reference}`, answer.body);
      if (!answer.body?.id) refused(`to buy ${request.rate.carrier} ${request.rate.service} for ${request.reference}`, answer.body);
      return bought(answer.body);
    },

    async void(reference: string): Promise<void> {
      for (const shipment of await shipmentsOf(reference)) {
        const answer = await call<unknown>('POST', `/v1/shipments/${encodeURIComponent(shipment.id)}/cancel`);
        // Already cancelled between the lookup and now: what was asked for is so.
        if (answer.status >= 400 && answer.status !== 409) refused(`to void ${shipment.id} (${reference})`, answer.body);
      }
    },
  };
}
