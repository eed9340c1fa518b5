// Row shapes of the inventory tables and their mapping to API shapes.
import { availableQuantity } from '../../domain/inventory/available.ts';
import type { InventoryLevel, LedgerEntry } from '../../domain/inventory/schemas.ts';

export interface DbLevelRow {
  location_id: string;
  sku: string;
  on_hand: number;
  reserved: number;
  safety_stock: number;
  quarantined: number;
  feed_as_of: Date | null;
  updated_at: Date;
}

export interface DbLedgerRow {
  id: number;
  location_id: string;
  sku: string;
  reason: string;
  reference: string | null;
  on_hand_delta: number;
  reserved_delta: number;
  safety_stock_delta: number;
  quarantined_delta: number;
  on_hand_after: number;
  reserved_after: number;
  safety_stock_after: number;
  quarantined_after: number;
  idempotency_key: string;
  actor: string | null;
  created_at: Date;
}

export function toLevel(row: DbLevelRow): InventoryLevel {
  return {
    locationId: row.location_id,
    sku: row.sku,
    onHand: row.on_hand,
    reserved: row.reserved,
    safetyStock: row.safety_stock,
    quarantined: row.quarantined,
    available: availableQuantity(row.on_hand, row.reserved, row.safety_stock),
    updatedAt: row.updated_at.toISOString(),
  };
}

export function toLedgerEntry(row: DbLedgerRow): LedgerEntry {
  return {
    id: row.id,
    locationId: row.location_id,
    sku: row.sku,
    reason: row.reason,
    reference: row.reference,
    onHandDelta: row.on_hand_delta,
    reservedDelta: row.reserved_delta,
    safetyStockDelta: row.safety_stock_delta,
    quarantinedDelta: row.quarantined_delta,
    onHandAfter: row.on_hand_after,
    reservedAfter: row.reserved_after,
    safetyStockAfter: row.safety_stock_after,
    quarantinedAfter: row.quarantined_after,
    actor: row.actor,
    at: row.created_at.toISOString(),
  };
}

export function isUniqueViolation(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: string }).code === '23505';
}

/** Stock held for an order line (or transfer line) at one location. */
export interface ReservationLine {
  lineId: string;
  sku: string;
  quantity: number;
}

/** A planned shipment as reserving sees it: units reserved at its source (a transfer's origin, else its location). */
export interface ShipmentToReserve {
  locationId: string;
  transferFromLocationId?: string | undefined;
  lines: readonly ReservationLine[];
}

export const sourceOf = (shipment: ShipmentToReserve): string => shipment.transferFromLocationId ?? shipment.locationId;

export interface Reservation {
  reservationKey: string;
  orderId: string;
  lineId: string;
  attempt: number;
  locationId: string;
  sku: string;
  quantity: number;
  state: 'held' | 'committed' | 'released';
}
