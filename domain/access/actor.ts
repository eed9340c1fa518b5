// Who did something, as recorded in a workflow's events: the API passes its caller with every
// action; the Temporal CLI leaves it out.
import { printable } from '../printable.ts';

export interface Actor {
  by: string;
}

/** Who an action is recorded as: the API's caller, or the CLI when no actor was sent. */
export function actorName(actor: Actor | undefined): string {
  // An actor sent from the CLI is not checked by a schema: keep it printable and short.
  return typeof actor?.by === 'string' && actor.by !== '' ? printable(actor.by).slice(0, 200) : 'temporal-cli';
}
