// The order a workflow or activity works for, read from Temporal's ids: an order's workflow
// is `order-<id>`, and its fulfillments (and their transfers) have it as parent or root.
// Logs carry it, so an order's lines can be found across every workflow that served it.
export function orderIdOfWorkflows(...workflowIds: (string | undefined)[]): string | undefined {
  for (const id of workflowIds) if (id?.startsWith('order-')) return id.slice('order-'.length);
  return undefined;
}
