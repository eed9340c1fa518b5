// Every migration, in order. A new migration file is added here too.
import type { Knex } from 'knex';
import * as network from './20261127000001_network.ts';
import * as inventory from './20261127000002_inventory.ts';
import * as orders from './20261127000003_orders.ts';
import * as apiKeys from './20261127000004_api_keys.ts';
import * as inventoryOperations from './20261127000005_inventory_operations.ts';
import * as leanReservations from './20261127000006_lean_reservations.ts';
import * as routing from './20261127000007_routing.ts';
import * as openingHours from './20261127000008_opening_hours.ts';
import * as fulfillment from './20261127000009_fulfillment.ts';
import * as returnsWebhooks from './20261127000010_returns_webhooks.ts';
import * as auditLimits from './20261127000011_audit_limits.ts';
import * as auditWorkflowActions from './20261127000012_audit_workflow_actions.ts';
import * as labelVoid from './20261127000013_label_void.ts';
import * as needsAttention from './20261201000014_needs_attention.ts';
import * as transferQueues from './20261202000015_transfer_queues.ts';
import * as orderIntakeRequests from './20261202000016_order_intake_requests.ts';
import * as consoleSessions from './20261202000017_console_sessions.ts';
import * as pickLists from './20261202000018_pick_lists.ts';
import * as demandHistory from './20261204000019_demand_history.ts';
import * as forecasts from './20261204000020_forecasts.ts';
import * as replenishment from './20261204000021_replenishment.ts';
import * as serviceMeasure from './20261204000022_service_measure.ts';
import * as locationPerformance from './20261204000023_location_performance.ts';
import * as routingRules from './20261204000024_routing_rules.ts';
import * as labelsForEveryPrinter from './20261204000025_labels_for_every_printer.ts';
import * as promises from './20261204000026_promises.ts';
import * as markets from './20261204000027_markets.ts';
import * as trustBoundaries from './20261207000028_trust_boundaries.ts';
import * as carrierGateways from './20261207000029_carrier_gateways.ts';
import * as customerMessages from './20261207000030_customer_messages.ts';
import * as channelSync from './20261207000031_channel_sync.ts';

export const migrations: Record<string, Knex.Migration> = {
  '20261127000001_network': network,
  '20261127000002_inventory': inventory,
  '20261127000003_orders': orders,
  '20261127000004_api_keys': apiKeys,
  '20261127000005_inventory_operations': inventoryOperations,
  '20261127000006_lean_reservations': leanReservations,
  '20261127000007_routing': routing,
  '20261127000008_opening_hours': openingHours,
  '20261127000009_fulfillment': fulfillment,
  '20261127000010_returns_webhooks': returnsWebhooks,
  '20261127000011_audit_limits': auditLimits,
  '20261127000012_audit_workflow_actions': auditWorkflowActions,
  '20261127000013_label_void': labelVoid,
  '20261201000014_needs_attention': needsAttention,
  '20261202000015_transfer_queues': transferQueues,
  '20261202000016_order_intake_requests': orderIntakeRequests,
  '20261202000017_console_sessions': consoleSessions,
  '20261202000018_pick_lists': pickLists,
  '20261204000019_demand_history': demandHistory,
  '20261204000020_forecasts': forecasts,
  '20261204000021_replenishment': replenishment,
  '20261204000022_service_measure': serviceMeasure,
  '20261204000023_location_performance': locationPerformance,
  '20261204000024_routing_rules': routingRules,
  '20261204000025_labels_for_every_printer': labelsForEveryPrinter,
  '20261204000026_promises': promises,
  '20261204000027_markets': markets,
  '20261207000028_trust_boundaries': trustBoundaries,
  '20261207000029_carrier_gateways': carrierGateways,
  '20261207000030_customer_messages': customerMessages,
  '20261207000031_channel_sync': channelSync,
};
