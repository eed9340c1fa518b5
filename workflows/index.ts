// Every workflow type the worker runs.
export { orderWorkflow } from './order/workflow.ts';
