// Names of the return workflow's query and Updates, shared by the workflow and the API.
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { ReceiveReturnRequest, ReturnResource } from '../../domain/returns/schemas.ts';
import type { Actor } from '../../domain/access/actor.ts';

export const returnWorkflowType = 'returnWorkflow';

export function returnWorkflowId(returnId: string): string {
  return `return-${returnId}`;
}

export const getReturnQuery = defineQuery<ReturnResource>('getReturn');
export const receiveReturnUpdate = defineUpdate<ReturnResource, [ReceiveReturnRequest, Actor?]>('receive');
export const cancelReturnUpdate = defineUpdate<ReturnResource, [Record<string, never>, Actor?]>('cancel');
/** Completes once the return has opened: its label bought (mail) and an up-front exchange sent. */
export const waitForOpenedUpdate = defineUpdate<ReturnResource>('waitForOpened');
