// How wide the search looks: measured by `npm run bench:sourcing` against the HiGHS optimum.

/** How many greedy covers to start, from the locations covering the most. */
export const GREEDY_STARTS = 8;
/** Pairs are searched among this many of the most covering locations. */
export const PAIR_POOL = 40;
/** Triples are searched among this many of the most covering, cheapest locations. */
export const TRIPLE_POOL = 16;
/** Pairs also consider this many of the locations cheapest to use at all (that cover something). */
export const CHEAP_POOL = 20;
/** Triples also consider this many of those. */
export const CHEAP_TRIPLES = 8;
/** Multi-location plans costing more than this multiple of the best found are not kept. */
export const KEEP_WITHIN = 1.25;
/** How many of the cheapest candidate plans get the line-moving polish. */
export const POLISH = 6;
/** How many candidate plans are evaluated in full (dates, criteria) and ranked. */
export const FINALISTS = 24;
/** The most placements of units the exact search over one location set may try. */
export const EXACT_PLACEMENTS = 6561;
/** How many completing partners (cheapest first) each pooled location is paired with. */
export const COMPLEMENTS = 4;
