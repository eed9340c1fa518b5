// The search attributes of the contract, so ops can filter orders in the Temporal UI.
// Registered on the dev server at launch and, for an external server, by `ensureSearchAttributes`.
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const OrderStatusKey = defineSearchAttributeKey('OrderStatus', SearchAttributeType.KEYWORD);
export const ChannelKey = defineSearchAttributeKey('Channel', SearchAttributeType.KEYWORD);
export const FulfillmentLocationsKey = defineSearchAttributeKey(
  'FulfillmentLocations',
  SearchAttributeType.KEYWORD_LIST,
);
export const CustomerIdKey = defineSearchAttributeKey('CustomerId', SearchAttributeType.KEYWORD);
export const OnHoldKey = defineSearchAttributeKey('OnHold', SearchAttributeType.BOOL);
/** Set when a step failed in a way retrying will not mend: `NeedsAttention = true` finds every such order. */
export const NeedsAttentionKey = defineSearchAttributeKey('NeedsAttention', SearchAttributeType.BOOL);

/** Name → type in the spelling the Temporal CLI's `--search-attribute` flag takes. */
export const searchAttributeCliTypes: Record<string, string> = {
  OrderStatus: 'Keyword',
  Channel: 'Keyword',
  FulfillmentLocations: 'KeywordList',
  CustomerId: 'Keyword',
  OnHold: 'Bool',
  NeedsAttention: 'Bool',
};
