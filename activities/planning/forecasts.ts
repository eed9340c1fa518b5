// The planning workflow's forecast step: one page of forecasts recomputed and stored.
import type { ForecastCursor } from '../../domain/forecasting/forecast.ts';
import type { ForecastService } from '../../services/forecasting/forecasts.ts';

export function createForecastActivities(deps: { forecasts: ForecastService }) {
  return {
    async recomputeForecastPage(input: { cursor: ForecastCursor; limit: number; today: string }) {
      return deps.forecasts.recomputePage(input.cursor, input.limit, input.today);
    },
  };
}
