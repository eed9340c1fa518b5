// Why the order is fulfilled where it is, drawn for a lead: the engine's verdict, the plans it
// compared (cost bars, the chosen one marked), and every candidate location with its reason.
import { useQuery } from '@tanstack/react-query';
import { api, must } from './api.ts';

interface Plan {
  locations: string[];
  unitsFilled: number;
  cost: number;
  score: number;
}
interface Candidate {
  locationId: string;
  excluded?: string;
  distanceKm?: number | null;
  offers?: Record<string, number>;
}

const money = (minor: number) => (minor / 100).toFixed(2);

export function RoutingExplanation({ orderId }: { orderId: string }) {
  const routing = useQuery({ queryKey: ['routing', orderId], queryFn: () => must(api.GET('/v1/orders/{id}/routing', { params: { path: { id: orderId } } })) });
  if (routing.error) return <p role="alert" className="error">{routing.error.message}</p>;
  const decision = routing.data?.items.at(-1);
  if (!decision) return <p>No routing decision yet.</p>;
  const plans = decision.explanation.plansConsidered as unknown as Plan[];
  const candidates = decision.explanation.candidates as unknown as Candidate[];
  const maxCost = Math.max(...plans.map((p) => p.cost), 1);
  const excluded = new Map<string, string[]>();
  for (const c of candidates) if (c.excluded) excluded.set(c.excluded, [...(excluded.get(c.excluded) ?? []), c.locationId]);
  return (
    <section aria-labelledby="routing-title" className="routing">
      <h2 id="routing-title">Why here</h2>
      <p>
        <strong>{decision.explanation.chosen}</strong> <span className="muted">(profile {decision.explanation.profileId} v{decision.explanation.profileVersion}, attempt {decision.attempt})</span>
      </p>
      <h3>Plans compared</h3>
      <ol className="plans">
        {plans.map((plan, i) => (
          <li key={plan.locations.join('+') + i} className={i === 0 ? 'chosen' : undefined}>
            <span className="plan-name">{plan.locations.join(' + ')}{i === 0 ? ' (chosen)' : ''}</span>
            <span className="plan-bar" aria-hidden="true"><span className={`fill fill-${Math.max(1, Math.round((plan.cost / maxCost) * 20))}`} /></span>
            <span className="plan-figures">cost {money(plan.cost)} · {plan.unitsFilled} units · score {plan.score}</span>
          </li>
        ))}
      </ol>
      <h3>Candidates</h3>
      <ul className="candidates">
        {candidates.filter((c) => !c.excluded).map((c) => (
          <li key={c.locationId}>
            {c.locationId}: offers {Object.entries(c.offers ?? {}).map(([sku, n]) => `${n} × ${sku}`).join(', ')}
            {c.distanceKm !== null && c.distanceKm !== undefined && <span className="muted"> · {c.distanceKm} km</span>}
          </li>
        ))}
      </ul>
      {excluded.size > 0 && (
        <details>
          <summary>Excluded ({candidates.length - candidates.filter((c) => !c.excluded).length})</summary>
          <ul>
            {[...excluded].map(([reason, ids]) => <li key={reason}>{reason}: {ids.join(', ')}</li>)}
          </ul>
        </details>
      )}
    </section>
  );
}
