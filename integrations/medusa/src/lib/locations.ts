// Which Medusa stock location stands for which Fulcrum location: the `locations` setting
// (Fulcrum id → stock location id) first, then stock locations whose metadata names one
// (`fulcrum_location_id`). Stock locations mapped to nothing are left alone.
import { ContainerRegistrationKeys } from '@medusajs/framework/utils';
import type { MedusaContainer } from '@medusajs/framework/types';
import type { FulcrumOptions } from './options';

export interface LocationMap {
  /** Fulcrum location id → Medusa stock location id. */
  toMedusa: Map<string, string>;
  /** Medusa stock location id → Fulcrum location id. */
  toFulcrum: Map<string, string>;
}

export async function locationMap(container: MedusaContainer, options: FulcrumOptions): Promise<LocationMap> {
  const query = container.resolve(ContainerRegistrationKeys.QUERY);
  const { data } = await query.graph({ entity: 'stock_location', fields: ['id', 'metadata'] });
  const toMedusa = new Map<string, string>();
  for (const loc of data as { id: string; metadata?: Record<string, unknown> | null }[]) {
    const named = loc.metadata?.fulcrum_location_id;
    if (typeof named === 'string' && named !== '') toMedusa.set(named, loc.id);
  }
  const known = new Set((data as { id: string }[]).map((l) => l.id));
  for (const [fulcrumId, medusaId] of Object.entries(options.locations ?? {})) {
    if (known.has(medusaId)) toMedusa.set(fulcrumId, medusaId);
  }
  return { toMedusa, toFulcrum: new Map([...toMedusa].map(([f, m]) => [m, f])) };
}
