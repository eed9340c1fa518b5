// Every workflow type the worker runs.
export { orderWorkflow } from './order/workflow.ts';
export { reservationReconciliationWorkflow } from './inventory/reconciliation.ts';
export { operationsAlertsWorkflow } from './operations/alerts.ts';
export { transferWorkflow } from './transfer/workflow.ts';
export { fulfillmentWorkflow } from './fulfillment/workflow.ts';
export { returnWorkflow } from './return/workflow.ts';
export { planningWorkflow } from './planning/workflow.ts';
export { promiseHoldWorkflow } from './promise/workflow.ts';
export { rateCardRefreshWorkflow } from './shipping/rate-cards.ts';
