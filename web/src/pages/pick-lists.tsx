// Batch picking on the floor: start a pick list at a location (up to N orders from the queue),
// then walk it — lines merged by SKU, one scan field, each scan shared out to the orders in
// queue order — and pack each order on its own afterwards.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { api, must, type PickList } from '../api.ts';
import { ScanForm } from '../scan-form.tsx';
import { StatusBadge } from '../status.tsx';

export function StartPickListPage() {
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const [max, setMax] = useState('5');
  const start = useMutation({
    mutationFn: () => must(api.POST('/v1/locations/{id}/pick-lists', { params: { path: { id } }, body: { maxFulfillments: Number(max) } })),
    onSuccess: (list) => void navigate(`/pick-lists/${list.id}`),
  });
  return (
    <section aria-labelledby="start-title">
      <h1 id="start-title">Pick lists at {id}</h1>
      <form className="scan" onSubmit={(e) => { e.preventDefault(); start.mutate(); }}>
        <label htmlFor="max-orders">Up to this many orders</label>
        <input id="max-orders" type="number" min={1} max={50} required value={max} onChange={(e) => setMax(e.target.value)} />
        <button type="submit" className="primary" disabled={start.isPending}>Start a pick list</button>
      </form>
      {start.error && <p role="alert" className="error">{start.error.message}</p>}
    </section>
  );
}

export function PickListPage() {
  const { id = '' } = useParams();
  const queries = useQueryClient();
  const list = useQuery({ queryKey: ['pick-list', id], queryFn: () => must(api.GET('/v1/pick-lists/{id}', { params: { path: { id } } })) });
  const [error, setError] = useState<string>();
  if (list.error) return <p role="alert" className="error">{list.error.message}</p>;
  if (!list.data) return <p className="loading">Loading…</p>;

  async function scan(barcode: string): Promise<boolean> {
    setError(undefined);
    try {
      // One key per scan: a retry after a lost answer counts it once.
      const next = await must(api.POST('/v1/pick-lists/{id}/scans', { params: { path: { id } }, body: { scans: [{ barcode, quantity: 1 }] }, headers: { 'idempotency-key': crypto.randomUUID() } }));
      queries.setQueryData(['pick-list', id], next);
      return true;
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
      return false;
    }
  }

  return (
    <article aria-labelledby="walk-title">
      <h1 id="walk-title">Pick list {list.data.id}</h1>
      <p className="muted">{list.data.locationId} · {list.data.fulfillments.length} orders · {list.data.complete ? 'all picked' : 'picking'}</p>
      {error && <p role="alert" className="error">{error}</p>}
      <WalkLines list={list.data} />
      {!list.data.complete && <ScanForm id="walk-scan" onScan={scan} />}
      <h2>Orders on this list</h2>
      <ol className="queue">
        {list.data.fulfillments.map((f) => (
          <li key={f.id}>
            <Link to={`/fulfillments/${f.id}`}>{f.id} <StatusBadge status={f.status} /> {f.complete ? '· ready to pack' : ''}</Link>
          </li>
        ))}
      </ol>
    </article>
  );
}

function WalkLines({ list }: { list: PickList }) {
  return (
    <table>
      <caption className="visually-hidden">Lines to pick, merged by SKU</caption>
      <thead><tr><th scope="col">SKU</th><th scope="col">Barcode</th><th scope="col">Picked</th></tr></thead>
      <tbody>
        {list.lines.map((l) => (
          <tr key={l.sku}>
            <td>{l.sku}</td>
            <td>{l.gtin ?? '—'}</td>
            <td aria-label={`${l.sku} picked`}>{l.picked} of {l.quantity}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
