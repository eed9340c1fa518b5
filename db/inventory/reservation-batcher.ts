// Group reservation: single-line reservations that arrive while others are in flight are
// applied together in ONE statement, which locks the affected levels in a stable order,
// hands out stock first-come-first-served (a running sum per level under the availability
// and channel-share guards), inserts the reservation rows, updates each level once and
// writes a ledger entry per reservation with its exact "after" values. A hot SKU then pays
// one lock hold and one commit per batch instead of per reservation.
// A reservation that does not fit in a batch is retried alone (the exact single-statement
// path), so batching never refuses stock a lone request would have got.
import type { Knex } from 'knex';
import { queryPrepared } from '../prepared.ts';
import type { Reservation } from './rows.ts';

/** A reservation to make, with the channel share it must respect. */
export type BatchItem = Omit<Reservation, 'state'> & { sharePercent: number };

interface Pending {
  item: BatchItem;
  resolve: (reserved: boolean) => void;
  reject: (err: unknown) => void;
}

const BATCH_SQL = `
WITH req AS (
  SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::text[],
                       $6::text[], $7::int[], $8::int[], $9::int[])
           AS r(reservation_key, order_id, line_id, attempt, location_id, sku, q, share, ord)
), locked AS (
  SELECT l.location_id, l.sku, l.on_hand, l.reserved, l.safety_stock, l.quarantined
    FROM inventory_levels l
   WHERE (l.location_id, l.sku) IN (SELECT DISTINCT location_id, sku FROM req)
   ORDER BY l.location_id, l.sku
     FOR UPDATE
), fit AS (
  SELECT r.*, k.on_hand, k.reserved AS reserved_before, k.safety_stock, k.quarantined,
         k.on_hand - k.reserved - k.safety_stock AS avail,
         sum(r.q) OVER (PARTITION BY r.location_id, r.sku ORDER BY r.ord ROWS UNBOUNDED PRECEDING) AS running
    FROM req r JOIN locked k USING (location_id, sku)
   WHERE NOT EXISTS (SELECT 1 FROM reservations x WHERE x.reservation_key = r.reservation_key)
), ok AS (
  SELECT * FROM fit
   WHERE running <= avail
     AND (share >= 100 OR q <= floor((avail - (running - q))::bigint * share / 100.0))
), ins AS (
  INSERT INTO reservations (reservation_key, order_id, line_id, attempt, location_id, sku, quantity, state)
  SELECT reservation_key, order_id, line_id, attempt, location_id, sku, q, 'held' FROM ok
), upd AS (
  UPDATE inventory_levels l
     SET reserved = l.reserved + t.total, updated_at = now()
    FROM (SELECT location_id, sku, sum(q)::int AS total FROM ok GROUP BY location_id, sku) t
   WHERE l.location_id = t.location_id AND l.sku = t.sku
), led AS (
  INSERT INTO inventory_ledger (location_id, sku, reason, reference, reserved_delta, on_hand_after, reserved_after,
                                safety_stock_after, quarantined_after, idempotency_key)
  SELECT location_id, sku, 'reserve', order_id || '/' || line_id, q, on_hand, reserved_before + running,
         safety_stock, quarantined, 'reserve:' || reservation_key
    FROM ok ORDER BY location_id, sku, ord
)
SELECT reservation_key FROM ok`;

export class ReservationBatcher {
  private queue: Pending[] = [];
  private inFlight = 0;

  constructor(
    private readonly db: Knex,
    /** The exact path for one reservation: true when reserved, false when the stock is not there. */
    private readonly reserveAlone: (item: BatchItem) => Promise<boolean>,
    private readonly options: { maxInFlight: number; maxBatch: number } = { maxInFlight: 2, maxBatch: 256 },
  ) {}

  reserve(item: BatchItem): Promise<boolean> {
    return new Promise((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.queue.length > 0 && this.inFlight < this.options.maxInFlight) {
      const batch = this.takeBatch();
      this.inFlight += 1;
      void this.run(batch).finally(() => {
        this.inFlight -= 1;
        this.pump();
      });
    }
  }

  /** Up to maxBatch requests, at most one per reservation key (a repeat waits for the next batch). */
  private takeBatch(): Pending[] {
    const batch: Pending[] = [];
    const keys = new Set<string>();
    const rest: Pending[] = [];
    for (const pending of this.queue) {
      if (batch.length < this.options.maxBatch && !keys.has(pending.item.reservationKey)) {
        keys.add(pending.item.reservationKey);
        batch.push(pending);
      } else {
        rest.push(pending);
      }
    }
    this.queue = rest;
    return batch;
  }

  private async run(batch: Pending[]): Promise<void> {
    if (batch.length === 1) {
      const [only] = batch as [Pending];
      await this.reserveAlone(only.item).then(only.resolve, only.reject);
      return;
    }
    let reservedKeys: Set<string>;
    try {
      const items = batch.map((p) => p.item);
      const rows = await queryPrepared<{ reservation_key: string }>(this.db, 'fulcrum_reserve_batch', BATCH_SQL, [
        items.map((i) => i.reservationKey),
        items.map((i) => i.orderId),
        items.map((i) => i.lineId),
        items.map((i) => i.attempt),
        items.map((i) => i.locationId),
        items.map((i) => i.sku),
        items.map((i) => i.quantity),
        items.map((i) => i.sharePercent),
        items.map((_, index) => index),
      ]);
      reservedKeys = new Set(rows.map((r) => r.reservation_key));
    } catch {
      // Whatever failed the batch (a racing duplicate key, say), each request gets its exact answer alone.
      reservedKeys = new Set();
    }
    await Promise.all(
      batch.map(async (pending) => {
        if (reservedKeys.has(pending.item.reservationKey)) return pending.resolve(true);
        // Not placed in the batch: already reserved earlier, or out of stock, or behind a larger
        // request in the first-come order. The lone path answers exactly.
        await this.reserveAlone(pending.item).then(pending.resolve, pending.reject);
      }),
    );
  }
}
