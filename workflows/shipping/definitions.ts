// The rate-card refresh's contract: its type, schedule and what a run reports.
export const RATE_CARDS_WORKFLOW_TYPE = 'rateCardRefreshWorkflow';
export const RATE_CARDS_SCHEDULE_ID = 'nightly-rate-cards';

export interface RateCardRefreshInput {
  /** One market (the API's refresh), or every market that buys through a carrier gateway (the nightly run). */
  marketId?: string;
}

export interface RateCardRefreshResult {
  markets: {
    marketId: string;
    /** The market's version with the refreshed cards (unchanged when no cell moved). */
    version: number;
    lanes: number;
    changes: { carrier: string; service: string; maxKm: number; maxGrams: number; from: number; to: number; lanes: number }[];
  }[];
}
