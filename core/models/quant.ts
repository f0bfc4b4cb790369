// Quantization names as they appear in GGUF file names (llama.cpp's and node-llama-cpp's list).
const QUANTS = [
  'Q1_0', 'Q2_0', 'Q4_0', 'Q4_1', 'Q5_0', 'Q5_1', 'Q8_0', 'Q2_K', 'Q2_K_S', 'Q3_K', 'Q3_K_S', 'Q3_K_M', 'Q3_K_L',
  'Q4_K', 'Q4_K_S', 'Q4_K_M', 'Q5_K', 'Q5_K_S', 'Q5_K_M', 'Q6_K', 'IQ1_S', 'IQ1_M', 'IQ2_XXS', 'IQ2_XS', 'IQ2_S',
  'IQ2_M', 'IQ3_XXS', 'IQ3_XS', 'IQ3_S', 'IQ3_M', 'IQ4_NL', 'IQ4_XS', 'TQ1_0', 'TQ2_0', 'MXFP4', 'MXFP4_MOE',
  'NVFP4', 'F16', 'BF16', 'F32', 'Q2_K_XL', 'Q3_K_XL', 'Q4_K_XL', 'Q5_K_XL', 'Q6_K_XL', 'Q8_K_XL',
];
const KNOWN = new Set(QUANTS);
// Longest first, so Q4_K_M wins over Q4_K; names are delimited by . - _ or the ends.
const PATTERN = new RegExp(
  `(?:^|[.\\-_])(${[...QUANTS].sort((a, b) => b.length - a.length).join('|')})(?=$|[.\\-_])`,
  'gi',
);

/** `q4_k_m` → `Q4_K_M`; null when it is not a known quantization. */
export function normalizeQuant(tag: string): string | null {
  const upper = tag.toUpperCase();
  return KNOWN.has(upper) ? upper : null;
}

/** The quantization named in a file name (the last one, as in "model-f16.Q4_K_M.gguf"), or null. */
export function quantFromFileName(fileName: string): string | null {
  const base = (fileName.split('/').pop() ?? fileName).replace(/-\d{5}-of-\d{5}(?=\.gguf$)/i, '').replace(/\.gguf$/i, '');
  let found: string | null = null;
  for (const m of base.matchAll(PATTERN)) found = m[1]!.toUpperCase();
  return found;
}

/** Smaller (fewer bits) first, for listings: a rough bits-per-weight order. */
export function quantOrder(quant: string | null): number {
  if (!quant) return 99;
  const q = quant.toUpperCase();
  if (q === 'F32') return 40;
  if (q === 'F16' || q === 'BF16') return 30;
  const bits = /(\d)/.exec(q);
  return bits ? Number(bits[1]) + (q.startsWith('IQ') ? -0.5 : 0) + (/_L|_XL/.test(q) ? 0.3 : /_M/.test(q) ? 0.2 : 0) : 50;
}
