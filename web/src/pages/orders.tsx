// Orders from the read model: filters (status, channel, location, a board tile, the channel's
// order number) kept in the address so a tile link and the back button work, paged by cursor.
import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api, must, type OrderPage } from '../api.ts';
import { StatusBadge } from '../status.tsx';
import { BOARD_TILES, type BoardTileId } from '../../../domain/console/board-tiles.ts';

const tileLabel = (id: string) => (id in BOARD_TILES ? BOARD_TILES[id as BoardTileId].label : id);

type Status = OrderPage['items'][number]['status'];
// Every status the API knows, in lifecycle order (the Record makes a new status a type error here).
const STATUS_LABELS: Record<Status, string> = {
  received: 'received', on_hold: 'on hold', routed: 'routed', backordered: 'backordered', in_fulfillment: 'in fulfillment',
  partially_shipped: 'partially shipped', shipped: 'shipped', ready_for_pickup: 'ready for pickup', completed: 'completed', cancelled: 'cancelled',
};

type Filters = {
  status?: Status;
  channel?: string;
  locationId?: string;
  channelOrderId?: string;
  tile?: string;
};

export function OrdersPage() {
  const [params, setParams] = useSearchParams();
  const [cursors, setCursors] = useState<string[]>([]);
  const filters: Filters = {
    status: (params.get('status') as Status | null) ?? undefined,
    channel: params.get('channel') ?? undefined,
    locationId: params.get('locationId') ?? undefined,
    channelOrderId: params.get('channelOrderId') ?? undefined,
    tile: params.get('tile') ?? undefined,
  };
  const cursor = cursors[cursors.length - 1];
  const page = useQuery({
    queryKey: ['orders', filters, cursor],
    queryFn: () => must(api.GET('/v1/orders', { params: { query: { ...clean(filters), limit: 25, ...(cursor ? { cursor } : {}) } as never } })),
    refetchInterval: 10_000,
  });

  function applyFilters(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const next = new URLSearchParams();
    for (const name of ['status', 'channel', 'locationId', 'channelOrderId']) {
      const value = String(form.get(name) ?? '').trim();
      if (value) next.set(name, value);
    }
    if (filters.tile) next.set('tile', filters.tile);
    setCursors([]);
    setParams(next);
  }

  return (
    <section aria-labelledby="orders-title">
      <h1 id="orders-title">Orders{filters.tile ? `: ${tileLabel(filters.tile)}` : ''}</h1>
      <OrderFilters filters={filters} onSubmit={applyFilters} />
      {page.error && <p role="alert" className="error">{page.error.message}</p>}
      <OrdersTable orders={page.data?.items ?? []} />
      {page.data && page.data.items.length === 0 && <p>No orders match.</p>}
      <div className="pager">
        <button type="button" disabled={cursors.length === 0} onClick={() => setCursors(cursors.slice(0, -1))}>Newer</button>
        <button type="button" disabled={!page.data?.nextCursor} onClick={() => page.data?.nextCursor && setCursors([...cursors, page.data.nextCursor])}>Older</button>
      </div>
    </section>
  );
}

function OrderFilters({ filters, onSubmit }: { filters: Filters; onSubmit(event: FormEvent<HTMLFormElement>): void }) {
  return (
      <form className="filters" onSubmit={onSubmit} aria-label="Filter orders">
        <label>
          Status
          <select name="status" defaultValue={filters.status ?? ''}>
            <option value="">Any</option>
            {Object.entries(STATUS_LABELS).map(([status, label]) => (
              <option key={status} value={status}>{label}</option>
            ))}
          </select>
        </label>
        <label>
          Channel
          <input name="channel" defaultValue={filters.channel ?? ''} />
        </label>
        <label>
          Location
          <input name="locationId" defaultValue={filters.locationId ?? ''} />
        </label>
        <label>
          Channel order number
          <input name="channelOrderId" defaultValue={filters.channelOrderId ?? ''} />
        </label>
        <button type="submit">Filter</button>
        {filters.tile && <Link to="/orders">Clear the tile filter</Link>}
      </form>
  );
}

function OrdersTable({ orders }: { orders: OrderPage['items'] }) {
  return (
      <table className="orders">
        <caption className="visually-hidden">Orders, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Order</th>
            <th scope="col">Channel</th>
            <th scope="col">Status</th>
            <th scope="col">Customer</th>
            <th scope="col">Created</th>
          </tr>
        </thead>
        <tbody>
          {orders.map((order) => (
            <tr key={order.id}>
              <td><Link to={`/orders/${order.id}`}>{order.channelOrderId}</Link></td>
              <td>{order.channel}</td>
              <td><StatusBadge status={order.status} /></td>
              <td>{order.customer.name}</td>
              <td>{new Date(order.createdAt).toLocaleString()}</td>
            </tr>
          ))}
        </tbody>
      </table>
  );
}

function clean<T extends Record<string, string | undefined>>(values: T): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined && v !== '')) as Partial<T>;
}
