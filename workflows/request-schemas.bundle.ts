// request-schemas.ts as the workflow bundle has it: each schema module is loaded the first
// time a workflow validates a body. Every new workflow evaluates the modules it imports
// afresh (the SDK keeps workflows apart), and building zod schemas cost more than all the
// rest of a workflow's start (the bench:intake profile, docs/performance.md), while most
// workflow tasks — an order's intake, a fulfillment's start — validate nothing. webpack
// bundles each `require` below and runs the module on its first call.
import type { requestSchemas as Eager } from './request-schemas.ts';

declare const require: (id: string) => unknown;
type Schemas = typeof Eager;

export const requestSchemas: Schemas = {
  orderActions: () => require('../domain/orders/actions.ts') as ReturnType<Schemas['orderActions']>,
  fulfillments: () => require('../domain/fulfillments/schemas.ts') as ReturnType<Schemas['fulfillments']>,
  transfers: () => require('../domain/transfers/schemas.ts') as ReturnType<Schemas['transfers']>,
  returns: () => require('../domain/returns/schemas.ts') as ReturnType<Schemas['returns']>,
};
