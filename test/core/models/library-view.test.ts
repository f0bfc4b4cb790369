// Sorting and filtering the model library.
import { describe, expect, it } from 'vitest';
import { facets, filterLibrary, sortLibrary, type ViewEntry } from '../../../core/models/library-view.js';

const e = (fileName: string, over: Partial<ViewEntry> = {}): ViewEntry => ({
  fileName,
  architecture: 'llama',
  quantization: 'Q4_K_M',
  sizeBytes: 1000,
  parameters: 1e9,
  favourite: false,
  status: 'ok',
  fit: { kind: 'ram' },
  ...over,
});

const entries = [
  e('a-llama-q8.gguf', { quantization: 'Q8_0', sizeBytes: 3000, fit: { kind: 'gpu' } }),
  e('b-qwen.gguf', { architecture: 'qwen2', sizeBytes: 500, parameters: 5e8, fit: { kind: 'none' } }),
  e('c-broken.gguf', { status: 'broken', architecture: null, quantization: null, fit: null }),
  e('d-fav.gguf', { favourite: true, sizeBytes: 9000, fit: { kind: 'partial' } }),
];
const names = (list: ViewEntry[]) => list.map((x) => x.fileName);

describe('library view', () => {
  it('filters by architecture, quantization, size and fit; broken files only without such filters', () => {
    expect(names(filterLibrary(entries, {}))).toEqual(['a-llama-q8.gguf', 'b-qwen.gguf', 'c-broken.gguf', 'd-fav.gguf']);
    expect(names(filterLibrary(entries, { architecture: 'qwen2' }))).toEqual(['b-qwen.gguf']);
    expect(names(filterLibrary(entries, { quantization: 'q8_0' }))).toEqual(['a-llama-q8.gguf']);
    expect(names(filterLibrary(entries, { maxSizeBytes: 3000, includeBroken: false }))).toEqual(['a-llama-q8.gguf', 'b-qwen.gguf']);
    expect(names(filterLibrary(entries, { fits: true }))).toEqual(['a-llama-q8.gguf', 'd-fav.gguf']);
    expect(names(filterLibrary(entries, { fits: false }))).toEqual(['b-qwen.gguf']);
    expect(names(filterLibrary(entries, { fits: 'partial' }))).toEqual(['d-fav.gguf']);
    expect(names(filterLibrary(entries, { text: 'QWEN' }))).toEqual(['b-qwen.gguf']);
    expect(names(filterLibrary(entries, { text: 'broken' }))).toEqual(['c-broken.gguf']);
  });

  it('sorts with favourites first and broken files last', () => {
    expect(names(sortLibrary(entries, 'size'))).toEqual(['d-fav.gguf', 'b-qwen.gguf', 'a-llama-q8.gguf', 'c-broken.gguf']);
    expect(names(sortLibrary(entries, 'size', true))).toEqual(['d-fav.gguf', 'a-llama-q8.gguf', 'b-qwen.gguf', 'c-broken.gguf']);
    expect(names(sortLibrary(entries, 'fit'))).toEqual(['d-fav.gguf', 'a-llama-q8.gguf', 'b-qwen.gguf', 'c-broken.gguf']);
    expect(names(sortLibrary(entries, 'quantization'))).toEqual(['d-fav.gguf', 'b-qwen.gguf', 'a-llama-q8.gguf', 'c-broken.gguf']);
    expect(names(sortLibrary(entries, 'parameters'))).toEqual(['d-fav.gguf', 'b-qwen.gguf', 'a-llama-q8.gguf', 'c-broken.gguf']);
  });

  it('offers the architectures and quantizations present', () => {
    expect(facets(entries)).toEqual({ architectures: ['llama', 'qwen2'], quantizations: ['Q4_K_M', 'Q8_0'] });
  });
});
