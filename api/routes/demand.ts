// Demand history: past daily demand imported from an ERP (idempotent per SKU, location,
// channel and day), and the daily series forecasts read - imported days and the demand of
// Fulcrum's own orders, with stock-out days marked.
import { daySpan, DemandHistoryImport, DemandHistoryImported, DemandHistoryQuery, DemandSeries, MAX_DEMAND_ITEMS, MAX_SERIES_DAYS } from '../../domain/forecasting/schemas.ts';
import { unknownPlaceErrors } from '../known-places.ts';
import { validationProblem, type FieldError } from '../problem.ts';
import { defineRoute } from '../route.ts';
import { problemResponses } from './common.ts';

/** An item repeating an earlier one's key, or a day that has not happened yet. */
function importErrors(items: DemandHistoryImport['items'], today: string): FieldError[] {
  const errors: FieldError[] = [];
  const seen = new Map<string, number>();
  items.forEach((item, index) => {
    if (item.date > today) errors.push({ path: `items[${index}].date`, message: `${item.date} has not happened yet` });
    const key = `${item.sku}|${item.locationId}|${item.channel ?? ''}|${item.date}`;
    const first = seen.get(key);
    if (first !== undefined) errors.push({ path: `items[${index}]`, message: `repeats items[${first}]: one entry per sku, location, channel and date` });
    else seen.set(key, index);
  });
  return errors;
}

export const demandRoutes = [
  defineRoute({
    method: 'post',
    path: '/v1/demand-history',
    operationId: 'importDemandHistory',
    summary: 'Import past daily demand (from an ERP)',
    description: `Up to ${MAX_DEMAND_ITEMS.toLocaleString('en-US')} days per request, all or nothing. A day imported again (same sku, locationId, channel and date) replaces the earlier one, so a retried import changes nothing. An imported day replaces what Fulcrum's own orders show for that day and channel.`,
    tag: 'Forecasting',
    roles: ['ops'],
    body: DemandHistoryImport,
    responses: {
      200: { description: 'Imported', schema: DemandHistoryImported },
      ...problemResponses(401, 403, 422),
    },
    async handler({ body, deps }) {
      const errors = [...importErrors(body.items, new Date().toISOString().slice(0, 10)), ...(await unknownPlaceErrors(deps, body.items, (i) => `items[${i}].`))];
      if (errors.length > 0) throw validationProblem(errors);
      return { status: 200, body: { imported: await deps.demand.importHistory(body.items) } };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/v1/demand-history',
    operationId: 'getDemandHistory',
    summary: 'Daily demand of a SKU at a location',
    description: `Every day from \`from\` to \`to\` (at most ${MAX_SERIES_DAYS} days), in the location's time zone: each order line counts on the day it was ordered at the location that fulfils it (cancelled units and fulfillments given back do not), an imported day replaces the orders' for its channel, and \`stockout\` marks a day the location had none to sell (imported so, or its availability at or below zero by the ledger) so it is not read as zero demand. Without \`channel\`, every channel summed.`,
    tag: 'Forecasting',
    roles: ['ops'],
    query: DemandHistoryQuery,
    responses: {
      200: { description: 'The daily series', schema: DemandSeries },
      ...problemResponses(401, 403, 422),
    },
    async handler({ query, deps }) {
      const errors: FieldError[] = [];
      if (query.to < query.from) errors.push({ path: 'query.to', message: 'is before from' });
      else if (daySpan(query.from, query.to) > MAX_SERIES_DAYS) errors.push({ path: 'query.to', message: `is more than ${MAX_SERIES_DAYS} days after from` });
      errors.push(...(await unknownPlaceErrors(deps, [query], () => 'query.')));
      if (errors.length > 0) throw validationProblem(errors);
      return { status: 200, body: { sku: query.sku, locationId: query.locationId, channel: query.channel ?? null, days: await deps.demand.series(query) } };
    },
  }),
];
