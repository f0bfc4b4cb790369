// The contract's sampling settings as node-llama-cpp evaluation options.
import type { LlamaModel, SequenceEvaluateOptions, Token } from 'node-llama-cpp';
import type { Sampling } from '../core/api/contract.js';

type NodeLlamaCpp = typeof import('node-llama-cpp');

export function evaluateOptions(
  lib: NodeLlamaCpp,
  model: LlamaModel,
  sampling: Sampling & { seed: number },
  history: () => Token[],
): SequenceEvaluateOptions {
  const options: SequenceEvaluateOptions = {
    temperature: sampling.temperature,
    topK: sampling.topK,
    topP: sampling.topP,
    minP: sampling.minP,
    seed: sampling.seed,
  };
  if (sampling.repeatPenalty !== 1 || sampling.presencePenalty !== 0 || sampling.frequencyPenalty !== 0) {
    options.repeatPenalty = {
      // llama.cpp's penalty_last_n: the last N tokens of the context, prompt included.
      punishTokens: () => history().slice(-sampling.penaltyLastN),
      maxPunishTokens: sampling.penaltyLastN,
      penalty: sampling.repeatPenalty,
      presencePenalty: sampling.presencePenalty,
      frequencyPenalty: sampling.frequencyPenalty,
    };
  }
  if (sampling.xtc) options.xtc = { probability: sampling.xtc.probability, threshold: sampling.xtc.threshold };
  if (sampling.dry && sampling.dry.strength > 0) {
    options.dryRepeatPenalty = {
      strength: sampling.dry.strength,
      base: sampling.dry.base,
      allowedLength: sampling.dry.allowedLength,
      lastTokens: sampling.dry.lastTokens,
      sequenceBreakers: sampling.dry.sequenceBreakers,
    };
  }
  if (sampling.tokenBias.length) {
    const bias = new lib.TokenBias(model.tokenizer);
    for (const entry of sampling.tokenBias) {
      // A bias is added to the token's logit (llama.cpp's and OpenAI's logit_bias), or forbids it.
      bias.set(entry.token as Token | string, entry.bias === 'never' ? 'never' : { logit: entry.bias });
      // TokenBias.set silently skips end-of-generation tokens, but "never end" (a fixed-length
      // sample) is a bias users ask for: write it where node-llama-cpp reads the biases from.
      if (typeof entry.token === 'number' && model.isEogToken(entry.token as Token)) {
        (bias as unknown as { _biases: Map<Token, number> })._biases.set(entry.token as Token, entry.bias === 'never' ? -Infinity : entry.bias);
      }
    }
    options.tokenBias = bias;
  }
  return options;
}
