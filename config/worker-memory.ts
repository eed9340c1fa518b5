// A worker's memory, from `npm run bench:worker-memory` (docs/deploy.md#worker-memory): each
// open workflow it keeps cached costs resident memory, so the cache's size bounds it. Beyond
// the cache, the least recently used workflow is evicted and replayed from its history when it
// next has work (an order sits idle for days between a pick and a delivery).
export const WORKER_MEMORY = {
  /** FULCRUM_MAX_CACHED_WORKFLOWS when unset. */
  maxCachedWorkflows: 1000,
  /** The V8 heap limit the chart and image give the worker (--max-old-space-size), MiB. */
  heapMiB: 768,
  /** Resident memory a worker stays within with a full cache, MiB (the chart's request; its limit adds headroom). */
  boundMiB: 1280,
} as const;
