// One fulfillment on the floor: scan to pick (a keyboard-wedge scanner types the code and
// Enter), report a shortage, pack with a package size, print the 4×6 label, hand off; for a
// pickup, ready it and collect with the customer's code. Every refusal in the API's words.
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useParams } from 'react-router';
import { api, must, type Fulfillment } from '../api.ts';
import { ScanForm } from '../scan-form.tsx';
import { ShortageDialog } from '../shortage-dialog.tsx';
import { StatusBadge } from '../status.tsx';

type Action = 'pick' | 'pack' | 'handoff' | 'ready' | 'collect' | 'arrived';

export function FulfillmentPage() {
  const { id = '' } = useParams();
  const queries = useQueryClient();
  const [error, setError] = useState<string>();
  const f = useQuery({ queryKey: ['fulfillment', id], queryFn: () => must(api.GET('/v1/fulfillments/{id}', { params: { path: { id } } })), refetchInterval: 5000 });
  if (f.error) return <p role="alert" className="error">{f.error.message}</p>;
  if (!f.data) return <p className="loading">Loading…</p>;
  const fulfillment = f.data;

  async function act(action: Action, body: Record<string, unknown>): Promise<boolean> {
    setError(undefined);
    try {
      const next = await must(api.POST(`/v1/fulfillments/{id}/${action}` as '/v1/fulfillments/{id}/pick', { params: { path: { id } }, body: body as never }));
      queries.setQueryData(['fulfillment', id], next);
      return true;
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
      return false;
    }
  }

  const complete = fulfillment.lines.every((l) => l.picked >= l.quantity);
  const pickable = ['pending', 'picking'].includes(fulfillment.status) && !complete && !fulfillment.onHold;
  const isPickup = fulfillment.method === 'pickup' || fulfillment.method === 'curbside';
  return (
    <article aria-labelledby="fulfillment-title">
      <h1 id="fulfillment-title">
        {isPickup ? 'Pickup' : 'Shipment'} {fulfillment.id} <StatusBadge status={fulfillment.status} />
      </h1>
      <p className="muted">Order {fulfillment.orderId} · {fulfillment.locationId} · {fulfillment.serviceLevel.replaceAll('_', ' ')}</p>
      {fulfillment.onHold && <p className="attention">The order is on hold: nothing may be picked, packed or handed over.</p>}
      {error && <p role="alert" className="error">{error}</p>}
      <PickLines fulfillment={fulfillment} />
      {pickable && <ScanForm id="scan" onScan={(barcode) => act('pick', { scans: [{ barcode, quantity: 1 }] })} />}
      {pickable && <ShortageDialog lines={fulfillment.lines} onReport={(lineId, quantity) => act('pick', { scans: [], shortages: [{ lineId, quantity }] })} />}
      {!isPickup && complete && fulfillment.status === 'picking' && <PackForm onPack={(pkg) => act('pack', { packages: [pkg] })} />}
      {fulfillment.status === 'packed' && (
        <div className="actions">
          <a className="button-link" href={`/v1/fulfillments/${fulfillment.id}/label`} target="_blank" rel="noreferrer">
            Print label
          </a>
          <button type="button" className="primary" onClick={() => void act('handoff', {})}>Hand off</button>
        </div>
      )}
      {fulfillment.trackingNumber && (
        <p>
          {fulfillment.carrier} {fulfillment.service} tracking {fulfillment.trackingNumber}
          {fulfillment.trackingStatus && <> — last carrier event: <strong>{fulfillment.trackingStatus.replaceAll('_', ' ')}</strong></>}
        </p>
      )}
      <details>
        <summary>Events</summary>
        <ol className="timeline">
          {[...fulfillment.events].reverse().map((e, i) => (
            <li key={`${e.at}-${i}`}><time dateTime={e.at}>{new Date(e.at).toLocaleString()}</time> <span className="event">{e.type}</span></li>
          ))}
        </ol>
      </details>
      {fulfillment.method === 'curbside' && !fulfillment.customerArrivedAt && ['pending', 'picking', 'ready_for_pickup'].includes(fulfillment.status) && (
        <ArrivedForm onArrived={(spot) => act('arrived', spot ? { spot } : {})} />
      )}
      {fulfillment.customerArrivedAt && <p className="attention">Customer outside since {new Date(fulfillment.customerArrivedAt).toLocaleTimeString()}{fulfillment.spot ? `, spot ${fulfillment.spot}` : ''}.</p>}
      {isPickup && complete && fulfillment.status === 'picking' && (
        <button type="button" className="primary" onClick={() => void act('ready', {})}>Ready</button>
      )}
      {fulfillment.status === 'ready_for_pickup' && <CollectForm onCollect={(pickupCode) => act('collect', { pickupCode })} />}
    </article>
  );
}

function PickLines({ fulfillment }: { fulfillment: Fulfillment }) {
  return (
    <table className="pick-lines">
      <caption className="visually-hidden">Lines to pick</caption>
      <thead>
        <tr><th scope="col">SKU</th><th scope="col">Barcode</th><th scope="col">Picked</th><th scope="col">Short</th></tr>
      </thead>
      <tbody>
        {fulfillment.lines.map((line) => (
          <tr key={line.lineId} data-line={line.lineId}>
            <td>{line.sku}</td>
            <td>{line.gtin ?? '—'}</td>
            <td aria-label={`${line.sku} picked`}>{line.picked} of {line.quantity}</td>
            <td>{line.short}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const SIZES = {
  small: { label: 'Small (25 × 20 × 10 cm)', lengthCm: 25, widthCm: 20, heightCm: 10 },
  medium: { label: 'Medium (40 × 30 × 20 cm)', lengthCm: 40, widthCm: 30, heightCm: 20 },
  large: { label: 'Large (60 × 40 × 40 cm)', lengthCm: 60, widthCm: 40, heightCm: 40 },
} as const;

function PackForm({ onPack }: { onPack(pkg: { weightGrams: number; lengthCm: number; widthCm: number; heightCm: number }): Promise<boolean> }) {
  const [size, setSize] = useState<keyof typeof SIZES>('small');
  const [grams, setGrams] = useState('1000');
  return (
    <form
      className="pack"
      onSubmit={(e) => {
        e.preventDefault();
        const { lengthCm, widthCm, heightCm } = SIZES[size];
        void onPack({ weightGrams: Number(grams), lengthCm, widthCm, heightCm });
      }}
    >
      <h2>Pack</h2>
      <label htmlFor="package-size">Package size</label>
      <select id="package-size" value={size} onChange={(e) => setSize(e.target.value as keyof typeof SIZES)}>
        {Object.entries(SIZES).map(([key, s]) => <option key={key} value={key}>{s.label}</option>)}
      </select>
      <label htmlFor="package-weight">Weight (grams)</label>
      <input id="package-weight" type="number" min={1} max={70000} required value={grams} onChange={(e) => setGrams(e.target.value)} />
      <button type="submit" className="primary">Pack</button>
    </form>
  );
}

function CollectForm({ onCollect }: { onCollect(code: string): Promise<boolean> }) {
  const [code, setCode] = useState('');
  return (
    <form className="collect" onSubmit={(e) => { e.preventDefault(); void onCollect(code.trim()); }}>
      <label htmlFor="pickup-code">Pickup code</label>
      <input id="pickup-code" autoComplete="off" required value={code} onChange={(e) => setCode(e.target.value)} />
      <button type="submit" className="primary">Collect</button>
    </form>
  );
}

function ArrivedForm({ onArrived }: { onArrived(spot: string): Promise<boolean> }) {
  const [spot, setSpot] = useState('');
  return (
    <form className="collect" onSubmit={(e) => { e.preventDefault(); void onArrived(spot.trim()); }}>
      <label htmlFor="arrived-spot">Parking spot (optional)</label>
      <input id="arrived-spot" autoComplete="off" maxLength={50} value={spot} onChange={(e) => setSpot(e.target.value)} />
      <button type="submit">Customer is here</button>
    </form>
  );
}
