// What a route's handler answers: the status, the body and any headers (shared by the router
// and the idempotency store, which replays it).
export interface RouteResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  contentType?: string;
}
