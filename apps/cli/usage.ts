// What `shotglass --help` and `shotglass <command> --help` print.
// One usage block per command; `shotglass <command> --help` prints its own, with the flag groups
// it takes. The groups are shared, so a flag is described once.
export const FLAG_GROUPS = {
  sampling: `sampling:
  --max-tokens N            tokens to generate (default 256)
  --temperature T           0 = greedy (default 0.8)
  --seed S                  fixes sampling; without it a seed is drawn and recorded
  --top-k K  --top-p P  --min-p M
  --repeat-penalty R  --presence-penalty P  --frequency-penalty F  --penalty-last-n N
  --xtc-probability P --xtc-threshold T
  --dry-strength S  [--dry-base B] [--dry-allowed-length N] [--dry-last-n N]
  --token-bias ID=BIAS      BIAS a number added to the logit, or never; repeatable
  --stop S                  stop at this text; repeatable
  --trim                    drop trailing whitespace
  --json-schema FILE        constrain output to a JSON schema
  --grammar FILE            constrain output to a GBNF grammar`,
  output: `output:
  --probs N                 print each token's probability and its top N alternatives
  --json                    one JSON object: text, tokens, probabilities, metrics, record`,
  placement: `placement:
  --gpu auto|metal|cuda|vulkan|cpu   --gpu-layers N|auto   --context-size N   --threads N
  --batch-size N   --flash-attention auto|on|off   --skip-checks   --ignore-memory-estimate`,
} as const;

type FlagGroup = keyof typeof FLAG_GROUPS;

export const COMMANDS: Record<string, { usage: string; groups: FlagGroup[] }> = {
  complete: {
    usage: 'shotglass complete --model <file.gguf> --prompt <text> [sampling] [output] [placement]',
    groups: ['sampling', 'output', 'placement'],
  },
  chat: {
    usage: `shotglass chat --model <file.gguf> [--system <text>] --user <text> [--assistant <text> --user <text> ...]
               [--messages <file.json>] [--template <file.jinja>] [sampling] [output] [placement]`,
    groups: ['sampling', 'output', 'placement'],
  },
  render: { usage: 'shotglass render <template.yaml> [--var name=value ...] [--model <file.gguf>] [--json]', groups: ['placement'] },
  run: {
    usage: 'shotglass run <template.yaml> --model <file.gguf> [--var name=value ...] [sampling] [output] [placement]',
    groups: ['sampling', 'output', 'placement'],
  },
  compare: {
    usage: `shotglass compare <comparison.yaml> [--repeat N] [--json | --markdown] [placement]
shotglass compare --model <file.gguf> --prompt <A> --prompt <B> [...] [--repeat N] [sampling] [--json | --markdown]`,
    groups: ['sampling', 'placement'],
  },
  inspect: { usage: 'shotglass inspect <file.gguf> [--context-size N] [--gpu-layers N|auto] [--json]', groups: [] },
  tokenize: { usage: 'shotglass tokenize --model <file.gguf> --text <text> [--json]', groups: ['placement'] },
  pull: {
    usage: `shotglass pull <hf:user/repo[:QUANT] | hf:user/repo/file.gguf> [--dir D] [--json] [--stall-seconds N]
    downloads into D/<user>/<repo>/ (default: Shotglass's models folder), verifies the SHA-256 against
    the Hub's, prints the model's path; run again to resume. HF_ENDPOINT: a Hub mirror; HF_TOKEN: gated repositories`,
    groups: [],
  },
  models: {
    usage: `shotglass models [--json] [--dir D ...] [--fit [--context-size N] [--gpu-layers N|auto]]
    the GGUF models Shotglass knows (its folder, added folders, node-llama-cpp's, LM Studio's and llama.cpp's caches)`,
    groups: [],
  },
};

export const USAGE = [
  'usage:',
  ...Object.values(COMMANDS).map((c) => c.usage.replace(/^/gm, '  ')),
  '  shotglass <command> --help   the usage of one command',
  '',
  ...Object.values(FLAG_GROUPS),
].join('\n');

export function commandUsage(command: string): string {
  const { usage, groups } = COMMANDS[command]!;
  return ['usage:', usage.replace(/^/gm, '  '), ...groups.map((g) => '\n' + FLAG_GROUPS[g])].join('\n');
}

