// How big a comparison may be: the API, comparison files, the service and the builder all read
// these (they were four copies of the number 6).

/** variants side by side: columns stay readable, and each takes a sequence of the model */
export const MAX_COMPARISON_VARIANTS = 6;
export const MIN_COMPARISON_VARIANTS = 2;
/** samples per variant */
export const MAX_COMPARISON_REPEATS = 64;
