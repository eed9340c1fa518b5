// A store's or warehouse's queue, sorted the way the floor works: customers waiting outside
// (curbside arrivals) first, then by pick SLA due, then the oldest.
import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { api, must, type Fulfillment } from '../api.ts';
import { StatusBadge } from '../status.tsx';

export function floorOrder(items: readonly Fulfillment[]): Fulfillment[] {
  const due = (f: Fulfillment) => (f.pickDueAt ? Date.parse(f.pickDueAt) : Number.POSITIVE_INFINITY);
  return [...items].sort(
    (a, b) =>
      Number(Boolean(b.customerArrivedAt)) - Number(Boolean(a.customerArrivedAt)) ||
      (a.customerArrivedAt ?? '').localeCompare(b.customerArrivedAt ?? '') ||
      due(a) - due(b) ||
      a.createdAt.localeCompare(b.createdAt),
  );
}

export function QueuePage() {
  const { id = '' } = useParams();
  const queue = useQuery({ queryKey: ['queue', id], queryFn: () => must(api.GET('/v1/locations/{id}/fulfillments', { params: { path: { id }, query: {} as never } })), refetchInterval: 5000 });
  return (
    <section aria-labelledby="queue-title">
      <h1 id="queue-title">Queue at {id}</h1>
      <p><Link to={`/locations/${encodeURIComponent(id)}/pick-lists`}>Batch pick several orders</Link></p>
      {queue.error && <p role="alert" className="error">{queue.error.message}</p>}
      {queue.data && queue.data.items.length === 0 && <p>Nothing to do here right now.</p>}
      <ul className="queue">
        {floorOrder(queue.data?.items ?? []).map((f) => (
          <li key={f.id} className={f.customerArrivedAt ? 'arrived' : undefined}>
            <Link to={`/fulfillments/${f.id}`}>
              <span className="queue-what">
                {f.method === 'ship' ? 'Ship' : f.method === 'same_day' ? 'Same day' : f.method === 'curbside' ? 'Curbside' : 'Pickup'} · {f.lines.reduce((n, l) => n + l.quantity, 0)} units
              </span>{' '}
              <StatusBadge status={f.status} />
              {f.customerArrivedAt && <strong> · customer outside{f.spot ? ` (spot ${f.spot})` : ''}</strong>}
              {f.pickDueAt && <span className="muted"> · pick by {new Date(f.pickDueAt).toLocaleTimeString()}</span>}
              {f.onHold && <span className="attention"> · on hold</span>}
            </Link>
          </li>
        ))}
      </ul>
    </section>
  );
}
