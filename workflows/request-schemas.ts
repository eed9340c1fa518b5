// The zod schemas the Update validators check bodies with (the HTTP routes' own). Outside the
// workflow bundle (the validators' unit tests) they are ordinary imports; the bundle swaps
// this module for request-schemas.bundle.ts (workers/worker.ts), which loads each schema
// module the first time a workflow validates a body.
import * as orderActions from '../domain/orders/actions.ts';
import * as fulfillments from '../domain/fulfillments/schemas.ts';
import * as returns from '../domain/returns/schemas.ts';
import * as transfers from '../domain/transfers/schemas.ts';

export const requestSchemas = {
  orderActions: () => orderActions,
  fulfillments: () => fulfillments,
  transfers: () => transfers,
  returns: () => returns,
};
