// "Get code": the `shotglass` CLI command that repeats a run exactly (same model file, prompt and
// recorded settings, the seed included). Pure: no DOM, no Node. Shotglass has no OpenAI-compatible
// server yet, so there is no curl/openai snippet to give; the text says so.
import type { PromptInput, ReproRecord } from '../../../core/api/contract';

/** POSIX shell quoting: '…' for plain text, $'…' when there are control characters (a "\n" stop). */
export function shellQuote(text: string): string {
  if (/^[A-Za-z0-9_./:=@%+-]+$/.test(text)) return text;
  // Control characters (a newline stop string) need ANSI-C quoting to stay on one line.
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(text)) {
    const body = text.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n').replace(/\t/g, '\\t').replace(/\r/g, '\\r')
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u001f\u007f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
    return `$'${body}'`;
  }
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

const DEFAULTS = { topK: 40, topP: 0.95, minP: 0.05, repeatPenalty: 1, presencePenalty: 0, frequencyPenalty: 0, penaltyLastN: 64 } as const;
const FLAGS: Record<keyof typeof DEFAULTS, string> = {
  topK: '--top-k',
  topP: '--top-p',
  minP: '--min-p',
  repeatPenalty: '--repeat-penalty',
  presencePenalty: '--presence-penalty',
  frequencyPenalty: '--frequency-penalty',
  penaltyLastN: '--penalty-last-n',
};

/** The CLI command for a run: `shotglass complete` or `shotglass chat`, with the recorded settings. */
export function cliCommand(modelPath: string, input: PromptInput, sampling: ReproRecord['sampling']): string {
  const args: string[] = ['shotglass', input.mode === 'completion' ? 'complete' : 'chat', '--model', shellQuote(modelPath)];
  if (input.mode === 'completion') args.push('--prompt', shellQuote(input.text));
  else for (const m of input.messages) args.push(`--${m.role}`, shellQuote(m.content));
  args.push('--temperature', String(sampling.temperature), '--max-tokens', String(sampling.maxTokens), '--seed', String(sampling.seed));
  for (const key of Object.keys(DEFAULTS) as (keyof typeof DEFAULTS)[]) {
    const value = sampling[key];
    if (value !== undefined && value !== DEFAULTS[key]) args.push(FLAGS[key], String(value));
  }
  for (const stop of sampling.stop ?? []) args.push('--stop', shellQuote(stop));
  for (const b of sampling.tokenBias ?? []) if (typeof b.token === 'number') args.push('--token-bias', `${b.token}=${b.bias}`);
  if (sampling.trimWhitespace) args.push('--trim');
  return args.join(' ');
}

export const NO_HTTP_SNIPPET =
  '# curl / openai: Shotglass has no OpenAI-compatible server yet, so there is no HTTP snippet to give.\n# The command above runs the same request with the CLI (add --json for the full record).';
