// Builds every activity from its dependencies; the worker registers what this returns.
import type { Client } from '@temporalio/client';
import { loadConfig, type OrderPolicy } from '../config/index.ts';
import type { Db } from '../db/knex.ts';
import { createChannelAllocationsRepository } from '../db/repositories/channel-allocations.ts';
import { createCustomersRepository } from '../db/repositories/customers.ts';
import { createFulfillmentsRepository } from '../db/repositories/fulfillments.ts';
import { createInventoryRepository } from '../db/repositories/inventory.ts';
import { createLabelsRepository } from '../db/repositories/labels.ts';
import { createNetworkRepository } from '../db/repositories/network.ts';
import { createOrdersRepository } from '../db/repositories/orders.ts';
import { createRoutingRepository } from '../db/repositories/routing.ts';
import { createTransfersRepository } from '../db/repositories/transfers.ts';
import type { PaymentProvider } from '../domain/payments/provider.ts';
import { createLabelActivities } from './fulfillment/label.ts';
import { createCarrierGateways, type CarrierGateways } from './adapters/carriers/index.ts';
import { createPaymentProviders } from './adapters/payments/index.ts';
import { createRateCardActivities } from './shipping/rate-cards.ts';
import { createSaveFulfillmentSnapshot } from './fulfillment/read-model.ts';
import { createFulfillmentStockActivities } from './fulfillment/stock.ts';
import { createReconcileReservations } from './inventory/reconcile-reservations.ts';
import { createRaiseOperationsAlerts, type AlertPolicy } from './operations/alerts.ts';
import { createReleaseOrderReservations } from './inventory/release-reservations.ts';
import { createPaymentActivities } from './orders/payments.ts';
import { createMarkOrderNeedsAttention, createSaveOrderSnapshot } from './orders/read-model.ts';
import { createRouteOrder } from './orders/route-order.ts';
import { createScreenOrder } from './orders/screen-order.ts';
import { createTransferActivities } from './transfers/transfer-stock.ts';
import { createReturnActivities } from './returns/return-activities.ts';
import { createReturnsRepository } from '../db/repositories/returns.ts';
import { createForecastActivities } from './planning/forecasts.ts';
import { createReplenishmentActivities } from './planning/replenishment.ts';
import { createPerformanceActivities } from './planning/performance.ts';
import { createLearningService } from '../services/routing/learning.ts';
import { createPromiseActivities } from './promises/expire.ts';
import { createPromisesRepository } from '../db/repositories/promises.ts';
import { createMarketsRepository } from '../db/repositories/markets.ts';
import { createReplenishmentService } from '../services/replenishment/replenishment.ts';
import { createForecastService } from '../services/forecasting/forecasts.ts';
import { createBusinessMetrics, type BusinessMetrics } from '../services/telemetry/business-metrics.ts';

export function createActivities(deps: {
  db: Db;
  temporal: Client;
  /** The worker's task queue: exchange orders are started on it. */
  taskQueue?: string;
  payments?: PaymentProvider;
  orderPolicy?: OrderPolicy;
  alertPolicy?: AlertPolicy;
  /** False on a Temporal server without the contract's search attributes (the time-skipping test server). */
  searchAttributes?: boolean;
  /** Business counters (routing decisions, lost races, labels, drift); none when absent. */
  metrics?: BusinessMetrics;
  /** Where labels are bought; as configured (config/carriers.ts) when absent. */
  carrierGateways?: CarrierGateways;
}) {
  const metrics = deps.metrics ?? createBusinessMetrics();
  const network = createNetworkRepository(deps.db);
  const inventory = createInventoryRepository(deps.db);
  const orders = createOrdersRepository(deps.db);
  const allocations = createChannelAllocationsRepository(deps.db);
  const transfers = createTransfersRepository(deps.db);
  const routing = createRoutingRepository(deps.db);
  const fulfillments = createFulfillmentsRepository(deps.db);
  const labels = createLabelsRepository(deps.db);
  const customers = createCustomersRepository(deps.db);
  const returns = createReturnsRepository(deps.db);
  const learning = createLearningService(deps.db);
  const promises = createPromisesRepository(deps.db);
  const markets = createMarketsRepository(deps.db);
  const gateways = deps.carrierGateways ?? createCarrierGateways(loadConfig().carriers);
  return {
    ...createReturnActivities({
      returns,
      inventory,
      network,
      orders,
      temporal: deps.temporal,
      taskQueue: deps.taskQueue ?? loadConfig().taskQueue,
      searchAttributes: deps.searchAttributes ?? true,
    }),
    ...createTransferActivities({ transfers, inventory }),
    ...createPromiseActivities({ promises, inventory }),
    ...createForecastActivities({ forecasts: createForecastService(deps.db) }),
    ...createPerformanceActivities({ learning }),
    ...createReplenishmentActivities({ replenishment: createReplenishmentService({ db: deps.db, temporal: deps.temporal, taskQueue: deps.taskQueue ?? loadConfig().taskQueue }) }),
    ...createFulfillmentStockActivities({ inventory, network }),
    ...createLabelActivities({ labels, network, routing, markets, metrics, gateways }),
    ...createRateCardActivities({ db: deps.db, markets, network, gateways }),
    ...createPaymentActivities({ payments: deps.payments ?? createPaymentProviders(deps.db, loadConfig().payments) }),
    screenOrder: createScreenOrder({ customers, network, policy: deps.orderPolicy ?? loadConfig().orderPolicy }),
    routeOrder: createRouteOrder({ network, inventory, allocations, routing, metrics, learning, promises, markets }),
    saveOrderSnapshot: createSaveOrderSnapshot({ orders, fulfillments }),
    markOrderNeedsAttention: createMarkOrderNeedsAttention({ orders }),
    saveFulfillmentSnapshot: createSaveFulfillmentSnapshot({ fulfillments }),
    releaseOrderReservations: createReleaseOrderReservations({ inventory }),
    reconcileReservations: createReconcileReservations({ db: deps.db, inventory, temporal: deps.temporal, metrics }),
    raiseOperationsAlerts: createRaiseOperationsAlerts({ db: deps.db, policy: deps.alertPolicy ?? loadConfig().alertPolicy }),
  };
}

export type Activities = ReturnType<typeof createActivities>;
