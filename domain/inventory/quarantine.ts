// Quarantine moves as stock movements: which counts change, the ledger reason, and what
// runs short when the move cannot be made.
import type { QuarantineInput } from './schemas.ts';

export interface QuarantineMove {
  onHandDelta?: number;
  quarantinedDelta: number;
  reason: 'quarantine' | 'return_restock' | 'adjustment';
  /** The count that runs short when the move is refused. */
  drawsOn: 'on-hand' | 'quarantined';
}

/** quarantine: sellable → quarantined; restock: quarantined → sellable; dispose: quarantined → gone. */
export function quarantineMove(action: QuarantineInput['action'], quantity: number): QuarantineMove {
  if (action === 'quarantine') return { onHandDelta: -quantity, quarantinedDelta: quantity, reason: 'quarantine', drawsOn: 'on-hand' };
  if (action === 'restock') return { onHandDelta: quantity, quarantinedDelta: -quantity, reason: 'return_restock', drawsOn: 'quarantined' };
  return { quarantinedDelta: -quantity, reason: 'adjustment', drawsOn: 'quarantined' };
}
