// Carriers on a local Karrio (issue 30), for the tests and `FULCRUM_CARRIER_GATEWAY=karrio npm
// start`: one connection of Karrio's offline `generic` carrier per carrier of Fulcrum's rate
// cards, its rate sheet priced from the card (one Karrio zone for the countries shipped to, a
// parcel of up to 2 kg at the distance band given), and a label template that prints each
// package's tracking number as a Code 128 barcode (the generic carrier's own template prints
// only its last six characters). Karrio's API drops a connection's label template, so it is set
// through Karrio's own management shell, as are trackers: the generic carrier cannot create
// them (a real carrier's connection does, when it buys).
import type { CarrierService } from '../../domain/shipping/carrier-services.ts';
import type { RunningKarrio } from './karrio.ts';

/** 4×6 inches at 203 dpi, in Karrio's SVG label dialect (rendered by Karrio to PDF or ZPL). */
const LABEL_TEMPLATE = `<svg viewBox="0 0 812 1218" xmlns="http://www.w3.org/2000/svg" width="4in" height="6in">
<text x="30" y="60" fill="black" style="font-size: 44; font-weight: bold;">{{ carrier.display_name|upper }} {{ service_name|upper }}</text>
<text x="30" y="130" fill="black" style="font-size: 26;">FROM {{ shipment.shipper.person_name }}, {{ shipment.shipper.city }} {{ shipment.shipper.postal_code }} {{ shipment.shipper.country_code }}</text>
<text x="30" y="250" fill="black" style="font-size: 34; font-weight: bold;">TO {{ shipment.recipient.person_name }}</text>
<text x="30" y="300" fill="black" style="font-size: 30;">{{ shipment.recipient.address_line1 }}</text>
<text x="30" y="345" fill="black" style="font-size: 30;">{{ shipment.recipient.postal_code }} {{ shipment.recipient.city }} {{ shipment.recipient.country_code }}</text>
<text x="30" y="880" fill="black" style="font-size: 34; font-weight: bold;">TRACKING {{ tracking_number }}</text>
<g data-type="barcode" data-value="{{ tracking_number }}" data-module-width="3" data-width-ratio="3" x="40" y="920" width="720" height="200" style="font-size: 30;"></g>
<text x="30" y="1180" fill="black" style="font-size: 34; font-weight: bold;">PACKAGE {{ package_index }} OF {{ total_packages }}</text>
</svg>`;

export interface KarrioCarrier {
  carrier: string;
  /** Karrio's id of the connection (car_…). */
  connectionId: string;
}

/** A Karrio carrier code: lower case letters, digits and underscores. */
function slug(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_|_$/g, '') || 'carrier';
}

interface RateSheet {
  id: string;
  services: { id: string; service_code: string }[];
}

async function rateSheetFor(karrio: RunningKarrio, connectionId: string, services: CarrierService[], countries: string[], atKm: number): Promise<void> {
  const created = await karrio.graphql<{ create_rate_sheet: { rate_sheet: RateSheet | null; errors: unknown } }>(
    'mutation($input: CreateRateSheetMutationInput!) { create_rate_sheet(input: $input) { rate_sheet { id services { id service_code } } errors { field messages } } }',
    {
      input: {
        name: `Fulcrum ${services[0]!.carrier}`,
        carrier_name: 'generic',
        carriers: [connectionId],
        zones: [{ id: 'fulcrum', label: 'Fulcrum network', country_codes: countries }],
        services: services.map((s) => ({
          service_name: `${s.carrier} ${s.service}`,
          service_code: s.service,
          currency: s.currency,
          transit_days: zoneAt(s, atKm).transitDays,
          max_weight: Math.max(...zoneAt(s, atKm).rates.map((t) => t.maxGrams)) / 1000,
          weight_unit: 'KG',
          domicile: true,
          international: true,
          zone_ids: ['fulcrum'],
        })),
        service_rates: [],
      },
    },
  );
  const sheet = created.create_rate_sheet.rate_sheet;
  if (!sheet) throw new Error(`Karrio: no rate sheet (${JSON.stringify(created.create_rate_sheet.errors)})`);
  // The generic carrier keeps one rate per service and zone (a later weight range replaces an
  // earlier one): each parcel is priced as the card prices one of up to 2 kg.
  for (const service of services) {
    const id = sheet.services.find((s) => s.service_code === service.service)!.id;
    const zone = zoneAt(service, atKm);
    const tier = zone.rates.find((t) => t.maxGrams >= 2000) ?? zone.rates.at(-1)!;
    await karrio.graphql('mutation($input: UpdateServiceRateMutationInput!) { update_service_rate(input: $input) { rate_sheet { id } errors { field messages } } }', {
      input: { rate_sheet_id: sheet.id, service_id: id, zone_id: 'fulcrum', rate: tier.amount / 100, min_weight: 0, max_weight: Math.max(...zone.rates.map((t) => t.maxGrams)) / 1000 },
    });
  }
}

/** The card's zone for a shipment this far (its farthest when none reaches). */
function zoneAt(service: CarrierService, km: number) {
  return service.zones.find((z) => km <= z.maxKm) ?? service.zones.at(-1)!;
}

/**
 * Connects one generic carrier per carrier of the cards, priced like the cards at `atKm`
 * (Karrio's generic carrier prices by country, not distance), for parcels between `countries`.
 */
export async function connectCarriers(karrio: RunningKarrio, cards: CarrierService[], countries: string[], atKm = 300): Promise<KarrioCarrier[]> {
  const carriers = [...new Set(cards.map((c) => c.carrier))];
  const connected: KarrioCarrier[] = [];
  for (const carrier of carriers) {
    const connection = await karrio.rest<{ id: string }>('POST', '/v1/connections', {
      carrier_name: 'generic',
      carrier_id: carrier,
      credentials: { display_name: carrier, custom_carrier_name: slug(carrier) },
    });
    await karrio.shell(
      [
        'from karrio.server.providers.models import CarrierConnection',
        "c = CarrierConnection.objects.get(id=INPUT['id'])",
        "c.credentials = {**(c.credentials or {}), 'label_template': {'slug': 'fulcrum', 'template': INPUT['template'], 'template_type': 'SVG'}}",
        'c.save()',
      ].join('\n'),
      { id: connection.id, template: LABEL_TEMPLATE },
    );
    await rateSheetFor(karrio, connection.id, cards.filter((c) => c.carrier === carrier), countries, atKm);
    connected.push({ carrier, connectionId: connection.id });
  }
  return connected;
}

/** A tracker for a shipment Karrio bought (what a real carrier's connection creates by itself); returns its id. */
export async function trackShipment(karrio: RunningKarrio, shipmentId: string): Promise<string> {
  const printed = await karrio.shell(
    [
      'from karrio.server.manager.models import Shipment, Tracking',
      "s = Shipment.objects.get(id=INPUT['shipment'])",
      "t = Tracking.objects.create(tracking_number=s.tracking_number, test_mode=s.test_mode, status='pending', shipment=s, carrier=getattr(s, 'carrier', None), created_by=s.created_by, events=[])",
      "print('TRACKER=' + t.id)",
    ].join('\n'),
    { shipment: shipmentId },
  );
  const id = /TRACKER=(\S+)/.exec(printed)?.[1];
  if (!id) throw new Error(`Karrio: no tracker for ${shipmentId} (${printed.slice(-300)})`);
  return id;
}

/** A carrier scan, newest first as Karrio keeps them. */
export async function injectTrackingEvent(karrio: RunningKarrio, trackerId: string, status: string, event: { date: string; time: string; description: string; location?: string }): Promise<void> {
  await karrio.rest('POST', `/v1/trackers/${trackerId}/inject-events`, {
    events: [{ ...event, code: status }],
    status,
    ...(status === 'delivered' ? { delivered: true } : {}),
  });
}

/** Karrio's webhook to `url` for tracker and shipment events, with the secret it sends as X-Event-Id (Karrio's own when none is given); returns the secret. */
export async function addWebhook(karrio: RunningKarrio, url: string, secret?: string): Promise<string> {
  const hook = await karrio.rest<{ id: string; secret?: string }>('POST', '/v1/webhooks', {
    url,
    description: 'Fulcrum',
    enabled_events: ['tracker_updated', 'shipment_out_for_delivery', 'shipment_delivery_failed', 'shipment_needs_attention'],
  });
  const printed = await karrio.shell(
    "from karrio.server.events.models import Webhook\nw = Webhook.objects.get(id=INPUT['id'])\nif INPUT['secret']:\n    w.secret = INPUT['secret']\n    w.save()\nprint('SECRET=' + w.secret)",
    { id: hook.id, secret: secret ?? null },
  );
  const kept = /SECRET=(\S+)/.exec(printed)?.[1];
  if (!kept) throw new Error('Karrio: the webhook has no secret');
  return kept;
}

/** Sets what a generic carrier's service charges per parcel (the carrier changed its prices). */
export async function setRate(karrio: RunningKarrio, carrier: string, service: string, amount: number): Promise<void> {
  const found = await karrio.graphql<{ rate_sheets: { edges: { node: { id: string; carriers: { carrier_id: string }[]; services: { id: string; service_code: string; max_weight: number }[] } }[] } }>(
    'query { rate_sheets { edges { node { id carriers { carrier_id } services { id service_code max_weight } } } } }',
  );
  const sheet = found.rate_sheets.edges.map((e) => e.node).find((n) => n.carriers.some((c) => c.carrier_id === carrier));
  const svc = sheet?.services.find((s) => s.service_code === service);
  if (!sheet || !svc) throw new Error(`Karrio: no ${carrier} ${service}`);
  await karrio.graphql('mutation($input: UpdateServiceRateMutationInput!) { update_service_rate(input: $input) { rate_sheet { id } errors { field messages } } }', {
    input: { rate_sheet_id: sheet.id, service_id: svc.id, zone_id: 'fulcrum', rate: amount, min_weight: 0, max_weight: svc.max_weight },
  });
}
