// Inventory: a SKU's availability across locations (on hand, reserved, safety stock,
// incoming, available), the ledger of one location's level, and — for ops — an adjustment
// with a reason (sent with an Idempotency-Key, so a retried click changes stock once).
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useSearchParams } from 'react-router';
import { api, must } from '../api.ts';
import { isOps, useSession } from '../session.tsx';

export function InventoryPage() {
  const [params, setParams] = useSearchParams();
  const sku = params.get('sku') ?? '';
  const locationId = params.get('locationId') ?? undefined;
  const { session } = useSession();
  const availability = useQuery({
    queryKey: ['availability', sku],
    enabled: sku !== '',
    queryFn: () => must(api.GET('/v1/availability', { params: { query: { sku: [sku] } as never } })),
  });
  const item = availability.data?.items[0];
  return (
    <section aria-labelledby="inventory-title">
      <h1 id="inventory-title">Inventory{sku ? `: ${sku}` : ''}</h1>
      <form
        className="filters"
        onSubmit={(e) => {
          e.preventDefault();
          const value = String(new FormData(e.currentTarget).get('sku') ?? '').trim();
          setParams(value ? { sku: value } : {});
        }}
      >
        <label>
          SKU
          <input name="sku" defaultValue={sku} required />
        </label>
        <button type="submit">Show</button>
      </form>
      {availability.error && <p role="alert" className="error">{availability.error.message}</p>}
      {item && (
        <table>
          <caption className="visually-hidden">Availability of {sku} by location</caption>
          <thead>
            <tr><th scope="col">Location</th><th scope="col">On hand</th><th scope="col">Reserved</th><th scope="col">Safety stock</th><th scope="col">Incoming</th><th scope="col">Available</th></tr>
          </thead>
          <tbody>
            {item.locations.map((l) => (
              <tr key={l.locationId}>
                <td><button type="button" className="link" onClick={() => setParams({ sku, locationId: l.locationId })}>{l.locationId}</button></td>
                <td>{l.onHand}</td><td>{l.reserved}</td><td>{l.safetyStock}</td><td>{l.incoming}</td><td>{l.available}</td>
              </tr>
            ))}
            <tr className="total"><th scope="row">All locations</th><td>{item.total.onHand}</td><td>{item.total.reserved}</td><td>{item.total.safetyStock}</td><td>{item.total.incoming}</td><td>{item.total.available}</td></tr>
          </tbody>
        </table>
      )}
      {item && locationId && <LevelDetail sku={sku} locationId={locationId} canAdjust={isOps(session)} />}
    </section>
  );
}

function LevelDetail({ sku, locationId, canAdjust }: { sku: string; locationId: string; canAdjust: boolean }) {
  const ledger = useQuery({
    queryKey: ['ledger', locationId, sku],
    queryFn: () => must(api.GET('/v1/inventory/{locationId}/{sku}/ledger', { params: { path: { locationId, sku }, query: { limit: 50 } as never } })),
  });
  return (
    <>
      <h2>{sku} at {locationId}</h2>
      {canAdjust && <AdjustForm sku={sku} locationId={locationId} />}
      {ledger.error && <p role="alert" className="error">{ledger.error.message}</p>}
      <table>
        <caption className="visually-hidden">Ledger, newest first</caption>
        <thead>
          <tr><th scope="col">When</th><th scope="col">Why</th><th scope="col">Reference</th><th scope="col">On hand</th><th scope="col">Reserved</th><th scope="col">On hand after</th></tr>
        </thead>
        <tbody>
          {ledger.data?.items.map((e) => (
            <tr key={e.id}>
              <td>{new Date(e.at).toLocaleString()}</td><td>{e.reason}</td><td>{e.reference ?? ''}</td>
              <td>{signed(e.onHandDelta)}</td><td>{signed(e.reservedDelta)}</td><td>{e.onHandAfter}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

const signed = (n: number) => (n > 0 ? `+${n}` : n === 0 ? '' : String(n));

function AdjustForm({ sku, locationId }: { sku: string; locationId: string }) {
  const queries = useQueryClient();
  const [delta, setDelta] = useState('');
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string>();
  // One key per intended change: a retry after a lost answer applies it once.
  const [idempotencyKey, setIdempotencyKey] = useState(() => crypto.randomUUID());
  async function submit(event: FormEvent) {
    event.preventDefault();
    setError(undefined);
    try {
      await must(api.POST('/v1/inventory/adjustments', { body: { locationId, sku, delta: Number(delta), reason: reason.trim() }, headers: { 'idempotency-key': idempotencyKey } }));
      setDelta('');
      setReason('');
      setIdempotencyKey(crypto.randomUUID());
      await queries.invalidateQueries({ queryKey: ['availability', sku] });
      await queries.invalidateQueries({ queryKey: ['ledger', locationId, sku] });
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  }
  return (
    <form className="adjust" onSubmit={(e) => void submit(e)} aria-label="Adjust stock">
      <label htmlFor="adjust-delta">Change on hand by</label>
      <input id="adjust-delta" type="number" required value={delta} onChange={(e) => setDelta(e.target.value)} />
      <label htmlFor="adjust-reason">Reason</label>
      <input id="adjust-reason" required maxLength={200} value={reason} onChange={(e) => setReason(e.target.value)} />
      <button type="submit" className="primary">Adjust</button>
      {error && <p role="alert" className="error">{error}</p>}
    </form>
  );
}
