// `complete`, `chat` and `run`: one streamed generation, its text on stdout as it comes, then the
// probabilities (--probs) or one JSON object (--json).
import { ApiError, ChatMessageSchema, type ChatMessage, type CompletionResult, type PromptInput } from '../../core/api/contract.js';
import { extractAnswer, type RunPlan } from '../../core/prompt/index.js';
import type { Service } from '../../service/types.js';
import { constraint, num, readText, sampling, UsageError, type Values } from './args.js';
import { formatProbabilities } from './format.js';
import { openAndLoad } from './session.js';

export async function generate(
  backend: Service,
  values: Values,
  input: PromptInput,
  fromTemplate?: { plan: RunPlan },
): Promise<number> {
  const model = await openAndLoad(backend, values);
  const probs = num('probs', values.probs);
  const result = await new Promise<CompletionResult>((resolve, reject) => {
    let runId: string | undefined;
    const early: Array<() => void> = [];
    backend.onEvent((event) => {
      if (!('runId' in event)) return;
      const act = () => {
        if (event.runId !== runId) return;
        if (event.type === 'run.delta' && !values.json) process.stdout.write(event.text);
        else if (event.type === 'run.end') resolve(event.result);
        else if (event.type === 'run.error') reject(new ApiError(event.error.code, event.error.message));
      };
      if (runId) act();
      else early.push(act);
    });
    process.once('SIGINT', () => {
      if (runId) void backend.api.cancelRun({ runId });
    });
    backend.api
      .startCompletion({
        modelId: model.id,
        input,
        sampling: fromTemplate ? fromTemplate.plan.sampling : sampling(values),
        topProbabilities: probs ?? 0,
        constraint: constraint(values) ?? fromTemplate?.plan.constraint,
        ...(fromTemplate ? { templateHash: fromTemplate.plan.templateHash } : {}),
      })
      .then((r) => {
        runId = r.runId;
        for (const act of early.splice(0)) act();
      }, reject);
  });
  if (values.json) {
    const { text, tokens, finishReason, stopString, metrics, record, steps } = result;
    const answer = fromTemplate ? { answer: extractAnswer(text, fromTemplate.plan.extraction) } : {};
    const out = {
      text,
      ...answer,
      tokens,
      finishReason,
      ...(stopString ? { stopString } : {}),
      metrics,
      record,
      ...(probs !== undefined ? { probabilities: steps } : {}),
    };
    process.stdout.write(JSON.stringify(out) + '\n');
  } else {
    process.stdout.write('\n');
    if (probs !== undefined) process.stdout.write(formatProbabilities(result.steps));
  }
  return 0;
}

export function chatMessages(values: Values, argv: string[]): ChatMessage[] {
  const messages: ChatMessage[] = [];
  if (values.messages) {
    let raw: unknown;
    try {
      raw = JSON.parse(readText('messages', values.messages));
    } catch (error) {
      if (error instanceof UsageError) throw error;
      throw new UsageError(`--messages: ${values.messages} is not valid JSON`);
    }
    const parsed = ChatMessageSchema.array().safeParse(raw);
    if (!parsed.success) throw new UsageError(`--messages: expected [{"role": "system"|"user"|"assistant", "content": "..."}]`);
    messages.push(...parsed.data);
  }
  if (values.system !== undefined) messages.unshift({ role: 'system', content: values.system });
  // --user and --assistant keep the order they were given in.
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    if ((flag === '--user' || flag === '--assistant') && argv[i + 1] !== undefined) {
      messages.push({ role: flag === '--user' ? 'user' : 'assistant', content: argv[i + 1]! });
    }
  }
  if (!messages.some((m) => m.role === 'user')) throw new UsageError('chat needs at least one --user message (or --messages FILE)');
  return messages;
}

