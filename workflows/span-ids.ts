// Span and trace ids for the OpenTelemetry interceptors inside the workflow sandbox. The bundle
// puts this in place of OpenTelemetry's RandomIdGenerator (workers/worker.ts), which draws on
// Math.random: in a workflow that is the run's seeded generator, the one uuid4() also draws
// on, so every span would shift the ids a workflow makes afterwards and histories recorded
// without tracing would no longer replay. These ids come from the run id and a counter
// instead: unique per span, and they touch nothing a workflow's commands depend on.
import { inWorkflowContext, workflowInfo } from '@temporalio/workflow';

let issued = 0;

/** 32 bits of a string (FNV-1a, then a final avalanche), as 8 hex digits. */
function hash32(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0).toString(16).padStart(8, '0');
}

function generateId(bytes: number): string {
  issued += 1;
  const seed = `${inWorkflowContext() ? workflowInfo().runId : 'outside'}:${issued}`;
  let id = '';
  for (let part = 0; part < bytes / 4; part++) id += hash32(`${seed}:${part}`);
  // An all-zero id is invalid in W3C trace context.
  return /^0+$/.test(id) ? `${id.slice(0, -1)}1` : id;
}

export class RandomIdGenerator {
  generateTraceId = (): string => generateId(16);
  generateSpanId = (): string => generateId(8);
}
