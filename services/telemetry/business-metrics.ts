// Fulcrum's business metrics, recorded on the Temporal SDK's metric meter so the worker's one
// Prometheus endpoint serves them beside the SDK's own (workflow and activity latencies, task
// slots, polls). Counters count what happened in this process; gauges describe the whole
// network as read from Postgres (every worker reports the same value: aggregate with max()).
import { noopMetricMeter, type MetricCounter, type MetricGauge, type MetricMeter } from '@temporalio/common';
import type { OperationsSnapshot } from '../../db/repositories/operations.ts';


export interface BusinessMetrics {
  routingDecisions: MetricCounter;
  reservationRacesLost: MetricCounter;
  labelsBought: MetricCounter;
  businessEvents: MetricCounter;
  pickupsExpired: MetricCounter;
  webhookDeliveries: MetricCounter;
  webhookDeliveryFailures: MetricCounter;
  inventoryDriftFound: MetricCounter;
  inventoryDrift: MetricGauge;
  /** Sets the gauges read from Postgres; a status or tile no longer present drops to 0. */
  observe(snapshot: OperationsSnapshot): void;
  /** Counts business events written to the outbox. */
  countEvents(events: readonly { type: string; data?: Record<string, unknown> }[]): void;
}

export function createBusinessMetrics(meter: MetricMeter = noopMetricMeter): BusinessMetrics {
  const orders = meter.createGauge('fulcrum_orders', 'int', undefined, 'Open orders (not completed or cancelled) by status, from the read model');
  const board = meter.createGauge('fulcrum_board_orders', 'int', undefined, 'Orders on each ops-board tile');
  const slaBreaches = meter.createGauge('fulcrum_pick_sla_breaches', 'int', undefined, 'Fulfillments not picked by their pick SLA');
  const pending = meter.createGauge('fulcrum_webhook_deliveries_pending', 'int', undefined, 'Webhook deliveries waiting to go out');
  const failed = meter.createGauge('fulcrum_webhook_deliveries_failed', 'int', undefined, 'Webhook deliveries given up after retrying');
  const lag = meter.createGauge('fulcrum_webhook_delivery_lag_seconds', 'float', 's', 'Age of the oldest webhook delivery that is due');
  const businessEvents = meter.createCounter('fulcrum_business_events', undefined, 'Business events written to the outbox, by type');
  const pickupsExpired = meter.createCounter('fulcrum_pickups_expired', undefined, 'Pickups not collected within their window');
  const seen = { statuses: new Set<string>(), tiles: new Set<string>() };

  function setAll(gauge: MetricGauge, label: string, values: Record<string, number>, known: Set<string>) {
    for (const key of Object.keys(values)) known.add(key);
    for (const key of known) gauge.set(values[key] ?? 0, { [label]: key });
  }

  return {
    routingDecisions: meter.createCounter('fulcrum_routing_decisions', undefined, 'Routing decisions by outcome (routed, backordered)'),
    reservationRacesLost: meter.createCounter('fulcrum_reservation_races_lost', undefined, 'Reservations lost to a concurrent order, planned again on fresh stock'),
    labelsBought: meter.createCounter('fulcrum_labels_bought', undefined, 'Carrier labels bought, by carrier'),
    businessEvents,
    pickupsExpired,
    webhookDeliveries: meter.createCounter('fulcrum_webhook_deliveries', undefined, 'Webhook delivery attempts by outcome (delivered, failed)'),
    webhookDeliveryFailures: meter.createCounter('fulcrum_webhook_delivery_failures', undefined, 'Failed webhook delivery attempts (final=true when given up)'),
    inventoryDriftFound: meter.createCounter('fulcrum_inventory_drift_found', undefined, 'Stock levels whose reserved count disagreed with held reservations'),
    inventoryDrift: meter.createGauge('fulcrum_inventory_drift', 'int', undefined, 'Drifting stock levels found by the last reconciliation'),
    observe(snapshot) {
      setAll(orders, 'status', snapshot.ordersByStatus, seen.statuses);
      setAll(board, 'tile', snapshot.boardTiles, seen.tiles);
      slaBreaches.set(snapshot.pickSlaBreaches);
      pending.set(snapshot.webhookDeliveriesPending);
      failed.set(snapshot.webhookDeliveriesFailed);
      lag.set(snapshot.webhookLagSeconds);
    },
    countEvents(events) {
      for (const event of events) {
        businessEvents.add(1, { type: event.type });
        if (event.type === 'fulfillment.expired') pickupsExpired.add(1);
      }
    },
  };
}
