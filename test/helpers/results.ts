// Well-formed results and events for unit tests of code that only passes them along.
import type { ServiceEvent, CompletionResult } from '../../core/api/contract.js';

export function fakeResult(overrides: Partial<CompletionResult> = {}): CompletionResult {
  return {
    text: 'x',
    tokens: [],
    steps: [],
    finishReason: 'eos',
    metrics: {
      ttftMs: 12,
      totalMs: 80,
      promptTokens: 7,
      evaluatedPromptTokens: 7,
      promptTokensPerSecond: 580,
      generatedTokens: 2,
      tokensPerSecond: 25,
    },
    record: {
      model: { path: '/m.gguf', fileName: 'm.gguf', sizeBytes: 1, sha256: '0'.repeat(64), architecture: 'llama', quantization: 'F32', adapters: [] },
      runtime: { backend: 'cpu', nodeLlamaCpp: '3.21.1', llamaCpp: 'b0', contextSize: 4096, batchSize: 512, threads: 2, gpuLayers: 0 },
      sampling: {
        temperature: 0.8, topK: 40, topP: 0.95, minP: 0.05, seed: 1, maxTokens: 256, stop: [], repeatPenalty: 1,
        presencePenalty: 0, frequencyPenalty: 0, penaltyLastN: 64, tokenBias: [], trimWhitespace: false,
      },
      topProbabilities: 5,
      prompt: { mode: 'completion', sha256: '0'.repeat(64), tokens: 7 },
    },
    ...overrides,
  };
}

export const fakeDelta = (runId: string, text: string, tokens = 1): ServiceEvent => ({
  type: 'run.delta',
  runId,
  text,
  tokens,
  steps: Array.from({ length: tokens }, (_, i) => ({ id: i, text: i === tokens - 1 ? text : '', p: 0.5, top: [] })),
});
