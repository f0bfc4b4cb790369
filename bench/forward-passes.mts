// Dependency-free, so bench/compare-lib.mts can use it inside the inference host too.

/**
 * How many forward passes (ubatches) llama.cpp makes of a batch of one token per sequence. With
 * node-llama-cpp's KV cache (one stream per sequence, not unified) llama.cpp's `split_equal` puts
 * into one ubatch only sequences whose ids increase by exactly 1 in batch order; the rest wait for
 * further passes, each of which reads all the weights again.
 */
export function forwardPasses(seqIds: readonly number[]): number {
  const used = seqIds.map(() => false);
  let passes = 0;
  while (used.includes(false)) {
    passes++;
    let last: number | undefined;
    for (let i = 0; i < seqIds.length; i++) {
      if (used[i]) continue;
      if (last === undefined || seqIds[i] === last + 1) {
        used[i] = true;
        last = seqIds[i];
      }
    }
  }
  return passes;
}
