// One order as its workflow holds it now: status, lines, fulfillments with tracking, holds,
// the event timeline with who did what, the exception actions the role may take (each
// confirmed, the API's refusal shown in words), and a link to the workflow in Temporal's UI.
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { api, must, type Order } from '../api.ts';
import { ConfirmAction } from '../confirm-action.tsx';
import { ActionDialog, Field } from '../action-dialog.tsx';
import { RoutingExplanation } from '../routing-explanation.tsx';
import { canActOnOrders, isOps, useSession } from '../session.tsx';
import { StatusBadge } from '../status.tsx';

const money = (m: { amount: number; currency: string }) => new Intl.NumberFormat(undefined, { style: 'currency', currency: m.currency }).format(m.amount / 100);

export function OrderPage() {
  const { id = '' } = useParams();
  const { session } = useSession();
  const queries = useQueryClient();
  const order = useQuery({ queryKey: ['order', id], queryFn: () => must(api.GET('/v1/orders/{id}', { params: { path: { id } } })), refetchInterval: 5000 });
  if (order.error) return <p role="alert" className="error">{order.error.message}</p>;
  if (!order.data) return <p className="loading">Loading…</p>;
  const o = order.data;
  const done = ['completed', 'cancelled', 'shipped'].includes(o.status);
  const refresh = (next: Order) => queries.setQueryData(['order', id], next);
  const act = (action: 'hold' | 'release' | 'cancel' | 'reroute' | 'address', body: Record<string, unknown>) =>
    must(api.POST(`/v1/orders/{id}/${action}` as '/v1/orders/{id}/hold', { params: { path: { id } }, body: body as never })).then(refresh);
  const ui = session?.temporalUi;

  return (
    <article aria-labelledby="order-title">
      <h1 id="order-title">
        Order {o.channelOrderId} <StatusBadge status={o.status} />
      </h1>
      <p className="muted">
        {o.id} · {o.channel} · {o.fulfillmentMethod.replaceAll('_', ' ')} · {o.serviceLevel.replaceAll('_', ' ')} · {money(o.payment.amount)} · created {new Date(o.createdAt).toLocaleString()}
      </p>
      {o.needsAttention && <p role="status" className="attention">Needs attention: {o.needsAttention.reason} ({o.needsAttention.activity})</p>}
      {o.holds.length > 0 && <p className="attention">On hold: {o.holds.map((h) => h.reason).join('; ')}</p>}

      {canActOnOrders(session) && !done && (
        <div className="actions" role="group" aria-label="Order actions">
          {o.status === 'on_hold' ? (
            <ConfirmAction label="Release" title={`Release order ${o.channelOrderId}?`} onConfirm={() => act('release', {})} />
          ) : (
            <ConfirmAction label="Hold" title={`Put order ${o.channelOrderId} on hold?`} reason="Why hold it?" onConfirm={(reason) => act('hold', { reason })} />
          )}
          <ConfirmAction label="Cancel" title={`Cancel order ${o.channelOrderId}?`} reason="Why cancel it?" danger onConfirm={(reason) => act('cancel', { reason })} />
          {o.fulfillments.some((f) => ['pending', 'picking'].includes(f.status)) && <RerouteAction order={o} onSubmit={(body) => act('reroute', body)} />}
          {o.fulfillmentMethod !== 'pickup' && o.fulfillmentMethod !== 'curbside' && <AddressAction order={o} onSubmit={(body) => act('address', body)} />}
        </div>
      )}
      {ui && (
        <p>
          <a href={`${ui.url}/namespaces/${encodeURIComponent(ui.namespace)}/workflows/order-${encodeURIComponent(o.id)}`} target="_blank" rel="noreferrer">
            Open in Temporal UI
          </a>
          {isOps(session) && <CustomerWorkflowsLink ui={ui} channel={o.channel} customerId={o.customer.id} />}
        </p>
      )}

      <OrderLines order={o} />
      <OrderFulfillments order={o} linked={session?.role !== 'channel'} />
      <OrderTimeline order={o} />
      {session?.role !== 'associate' && <RoutingExplanation orderId={o.id} />}
    </article>
  );
}

/** The customer's orders in Temporal's UI: CustomerId there is a keyed hash, which the API translates. */
function CustomerWorkflowsLink({ ui, channel, customerId }: { ui: { url: string; namespace: string }; channel: string; customerId: string }) {
  const search = useQuery({
    queryKey: ['customer-search', channel, customerId],
    queryFn: () => must(api.GET('/v1/customers/{id}/temporal-search', { params: { path: { id: customerId }, query: { channel } } })),
    staleTime: Infinity,
  });
  if (!search.data) return null;
  return (
    <>
      {' · '}
      <a href={`${ui.url}/namespaces/${encodeURIComponent(ui.namespace)}/workflows?query=${encodeURIComponent(search.data.query)}`} target="_blank" rel="noreferrer">
        This customer’s orders in Temporal UI
      </a>
    </>
  );
}

function OrderLines({ order }: { order: Order }) {
  return (
    <>
      <h2>Lines</h2>
      <table>
        <thead>
          <tr><th scope="col">Line</th><th scope="col">SKU</th><th scope="col">Quantity</th><th scope="col">Cancelled</th></tr>
        </thead>
        <tbody>
          {order.lines.map((line) => (
            <tr key={line.lineId}><td>{line.lineId}</td><td>{line.sku}</td><td>{line.quantity}</td><td>{line.cancelled ?? 0}</td></tr>
          ))}
        </tbody>
      </table>

    </>
  );
}

/** Each fulfillment, its tracking linked to the fulfillment's page (carrier events, status) for those who may open it. */
function OrderFulfillments({ order, linked }: { order: Order; linked: boolean }) {
  return (
    <>
      <h2>Fulfillments</h2>
      {order.fulfillments.length === 0 ? <p>None yet.</p> : (
        <ul className="fulfillments">
          {order.fulfillments.map((f) => (
            <li key={f.id}>
              <strong>{linked ? <Link to={`/fulfillments/${f.id}`}>{f.id}</Link> : f.id}</strong> at {f.locationId} — <StatusBadge status={f.status} /> ({f.method})
              {f.trackingNumber && (
                <>
                  {' '}· {f.carrier} tracking {linked ? <Link to={`/fulfillments/${f.id}`} aria-label={`Tracking ${f.trackingNumber}`}>{f.trackingNumber}</Link> : f.trackingNumber}
                </>
              )}
              {f.estimatedDelivery && <> · expected {f.estimatedDelivery}</>}
              <span className="muted"> · lines {f.lines.map((l) => `${l.lineId}×${l.quantity}`).join(', ')}</span>
            </li>
          ))}
        </ul>
      )}

    </>
  );
}

function OrderTimeline({ order }: { order: Order }) {
  return (
    <>
      <h2>Timeline</h2>
      <ol className="timeline">
        {[...order.events].reverse().map((event, i) => (
          <li key={`${event.at}-${i}`}>
            <time dateTime={event.at}>{new Date(event.at).toLocaleString()}</time> <span className="event">{event.type}</span>
            {typeof event.detail.by === 'string' && <span className="muted"> by {event.detail.by}</span>}
            {typeof event.detail.reason === 'string' && <span> — {event.detail.reason}</span>}
          </li>
        ))}
      </ol>
    </>
  );
}

function RerouteAction({ order, onSubmit }: { order: Order; onSubmit(body: Record<string, unknown>): Promise<unknown> }) {
  const open = order.fulfillments.filter((f) => ['pending', 'picking'].includes(f.status));
  return (
    <ActionDialog
      label="Reroute"
      title={`Reroute a fulfillment of order ${order.channelOrderId}`}
      onSubmit={(form) => {
        const to = String(form.get('toLocationId') ?? '').trim();
        return onSubmit({ fulfillmentId: String(form.get('fulfillmentId')), reason: String(form.get('reason') ?? '').trim(), ...(to ? { toLocationId: to } : {}) });
      }}
    >
      <label htmlFor="reroute-fulfillment">Fulfillment</label>
      <select id="reroute-fulfillment" name="fulfillmentId">
        {open.map((f) => <option key={f.id} value={f.id}>{f.id} at {f.locationId}</option>)}
      </select>
      <Field name="toLocationId" label="To location (empty: let routing choose)" />
      <Field name="reason" label="Why reroute it?" required />
    </ActionDialog>
  );
}

function AddressAction({ order, onSubmit }: { order: Order; onSubmit(body: Record<string, unknown>): Promise<unknown> }) {
  const a = order.shipTo;
  return (
    <ActionDialog
      label="Change address"
      title={`Change the shipping address of order ${order.channelOrderId}`}
      onSubmit={(form) => {
        const value = (name: string) => String(form.get(name) ?? '').trim();
        const line2 = value('line2');
        return onSubmit({ shipTo: { name: value('name') || undefined, line1: value('line1'), ...(line2 ? { line2 } : {}), city: value('city'), region: value('region'), postalCode: value('postalCode'), country: value('country').toUpperCase() } });
      }}
    >
      <Field name="name" label="Name" defaultValue={a?.name ?? ''} />
      <Field name="line1" label="Address line 1" required defaultValue={a?.line1 ?? ''} />
      <Field name="line2" label="Address line 2" defaultValue={a?.line2 ?? ''} />
      <Field name="city" label="City" required defaultValue={a?.city ?? ''} />
      <Field name="region" label="Region" required defaultValue={a?.region ?? ''} />
      <Field name="postalCode" label="Postal code" required defaultValue={a?.postalCode ?? ''} />
      <Field name="country" label="Country (2 letters)" required defaultValue={a?.country ?? 'US'} />
    </ActionDialog>
  );
}
