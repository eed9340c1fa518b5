// One typed client for the whole console, on the session cookie (same origin) with the
// session's CSRF token on every change.
import { createFulcrumClient, problemText, type Answer } from '../../clients/typescript/index.ts';

let csrfToken: string | undefined;

export function setCsrfToken(token: string | undefined): void {
  csrfToken = token;
}

export const api = createFulcrumClient({ baseUrl: '', csrfToken: () => csrfToken });

/** Unwraps an answer: its data, or an Error carrying the API's problem in words. */
export async function must<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await call;
  if (error !== undefined || !response.ok) throw new ApiError(response.status, problemText(error));
  return data as T;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export type Order = Answer<'getOrder'>;
export type Session = Answer<'getSession'>;
export type Board = Answer<'getBoard'>;
export type OrderPage = Answer<'listOrders'>;
export type Fulfillment = Answer<'getFulfillment'>;
export type Queue = Answer<'listLocationFulfillments'>;
export type Series = Answer<'analyticsTimeseries'>;
export type Availability = Answer<'getAvailability'>;
export type Ledger = Answer<'getInventoryLedger'>;
export type PickList = Answer<'getPickList'>;
