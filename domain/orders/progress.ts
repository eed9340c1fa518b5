// Where an order workflow stands beside the order resource: routing rounds, holds and their
// timers, what woke it, whether it has closed. One typed object with pure transitions (the
// workflow supplies the clock), so the order workflow reads as its story, not as flags.
import { ENDED_STATUSES } from '../fulfillments/state.ts';
import { allLinesSettled, unplacedLines } from './order-state.ts';
import type { Order } from './schemas.ts';

export type RoutingKind = 'initial' | 'backorder' | 'reroute';

export interface OrderProgress {
  /** Routing has decided at least once (routed or backordered). */
  routed: boolean;
  /** Routing rounds so far: part of each reservation's business key. */
  routingAttempt: number;
  /** A routing round (or an exception re-route) is running. */
  routingBusy: boolean;
  lastRoutingAt: number;
  /** Units came back from a fulfillment (short pick, rejection, missed SLA): route them. */
  rerouteNeeded: boolean;
  /** Ops or the backorder timer asked to route the waiting units again. */
  retryRequested: boolean;
  /** Something changed that the read model, payment and closing must hear about. */
  changed: boolean;
  closed?: 'completed' | 'cancelled';
  heldSince?: number;
  holdEscalated: boolean;
  /** Locations that short-picked, rejected or missed their SLA for this order: not asked again. */
  excluded: Set<string>;
}

/** The timing rules the screening read for this order. */
export interface OrderTimingPolicy {
  holdEscalateAfterHours: number;
  holdAutoCancelAfterHours: number;
  backorderRecheckMinutes: number;
  backorderPromiseDays: number;
  timezone?: string;
}

export type Deadline = { at: number; what: 'escalate' | 'auto_cancel' | 'recheck' | 'promise' };

const HOUR = 3600_000;

export function initialProgress(): OrderProgress {
  return { routed: false, routingAttempt: 0, routingBusy: false, lastRoutingAt: 0, rerouteNeeded: false, retryRequested: false, changed: false, holdEscalated: false, excluded: new Set() };
}

/** A hold starts the hold clock (a second hold keeps the first one's time). */
export function holdPlaced(progress: OrderProgress, now: number): void {
  progress.heldSince ??= now;
}

export function holdsReleased(progress: OrderProgress): void {
  progress.heldSince = undefined;
  progress.holdEscalated = false;
}

/**
 * The next timer the order waits for: hold escalation or auto-cancel while held, else the
 * backorder re-check or the promise date while units wait for stock. `promiseAt` gives the
 * promise instant (calendar days where the order is counted).
 */
export function nextDeadline(progress: OrderProgress, order: Order, policy: OrderTimingPolicy | undefined, promiseAt: () => number): Deadline | undefined {
  if (!policy) return undefined;
  if (order.holds.length > 0 && progress.heldSince !== undefined) {
    if (!progress.holdEscalated) return { at: progress.heldSince + policy.holdEscalateAfterHours * HOUR, what: 'escalate' };
    return { at: progress.heldSince + policy.holdAutoCancelAfterHours * HOUR, what: 'auto_cancel' };
  }
  if (progress.routed && unplacedLines(order).length > 0) {
    const promise = promiseAt();
    const recheck = progress.lastRoutingAt + policy.backorderRecheckMinutes * 60_000;
    return recheck < promise ? { at: recheck, what: 'recheck' } : { at: promise, what: 'promise' };
  }
  return undefined;
}

/** Units wait to be routed and nothing stands in the way (a hold, a round already running, the end). */
export function readyToRoute(progress: OrderProgress, order: Order): boolean {
  return (
    order.holds.length === 0 &&
    !progress.routingBusy &&
    progress.closed === undefined &&
    (!progress.routed || progress.rerouteNeeded || progress.retryRequested) &&
    unplacedLines(order).length > 0
  );
}

/** Which round this is, consuming the request that asked for it. */
export function startRoutingRound(progress: OrderProgress): RoutingKind {
  const kind: RoutingKind = !progress.routed ? 'initial' : progress.rerouteNeeded ? 'reroute' : 'backorder';
  progress.rerouteNeeded = false;
  progress.retryRequested = false;
  progress.routingBusy = true;
  return kind;
}

/** Every line delivered, collected or cancelled and every fulfillment ended: the order can close. */
export function readyToClose(order: Order): boolean {
  return allLinesSettled(order) && order.fulfillments.every((f) => ENDED_STATUSES.has(f.status));
}

/** How a settled order ends: completed unless every unit was cancelled. */
export function closingStatus(order: Order): 'completed' | 'cancelled' {
  return order.lines.some((l) => l.cancelled < l.quantity) ? 'completed' : 'cancelled';
}
