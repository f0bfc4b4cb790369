// `shotglass complete` as a user runs it: a real process, real stdout/stderr and exit codes.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BOS, demoModel, designedGreedy, designedText } from '../../../build/gguf/demo-model.js';
import { DEMO_MODEL, fixture, ROOT } from '../../helpers/backend.js';
import { toYaml } from '../../../core/library/yaml-format.js';
import { assemble } from '../../../core/prompt/assemble.js';
import { STARTERS } from '../../../core/prompt/starters.js';
import { hashTemplate, toPlain } from '../../../core/prompt/template.js';

function shotglass(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin', 'shotglass.mjs'), ...args], {
      env: { ...process.env, SHOTGLASS_GPU: 'cpu' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const prompt = 'Q: This movie sucks!\nA:';
const { design, tokenizer } = demoModel();

describe('shotglass complete', () => {
  it('streams the designed greedy completion to stdout', async () => {
    const r = await shotglass('complete', '--model', DEMO_MODEL, '--prompt', prompt, '--temperature', '0', '--max-tokens', '10');
    const expected = designedText(design, designedGreedy(design, [BOS, ...tokenizer.tokenize(prompt)], 10));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(expected + '\n');
  });

  it('--json prints one object with text, tokens, finish reason, metrics and the record', async () => {
    const r = await shotglass(
      'complete', '--model', DEMO_MODEL, '--prompt', prompt, '--json',
      '--temperature', '0.9', '--seed', '7', '--top-k', '20', '--top-p', '0.9', '--min-p', '0.01', '--max-tokens', '12',
    );
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(Object.keys(out).sort()).toEqual(['finishReason', 'metrics', 'record', 'text', 'tokens']);
    expect(out.record.sampling).toMatchObject({ temperature: 0.9, seed: 7, topK: 20, topP: 0.9, minP: 0.01, maxTokens: 12 });
    expect(out.record.model.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(out.tokens.length).toBe(out.metrics.generatedTokens);
    expect(out.tokens.length).toBeLessThanOrEqual(12);
    expect(out.metrics.promptTokens).toBe(1 + tokenizer.tokenize(prompt).length);
    expect(out.metrics.ttftMs).toBeGreaterThan(0);
    expect(['eos', 'maxTokens']).toContain(out.finishReason);
    const again = JSON.parse((await shotglass(
      'complete', '--model', DEMO_MODEL, '--prompt', prompt, '--json',
      '--temperature', '0.9', '--seed', '7', '--top-k', '20', '--top-p', '0.9', '--min-p', '0.01', '--max-tokens', '12',
    )).stdout);
    expect(again.text).toBe(out.text);
  });

  it('--stop ends the text early', async () => {
    const r = await shotglass('complete', '--model', DEMO_MODEL, '--prompt', prompt, '--temperature', '0', '--stop', '\n', '--json');
    expect(JSON.parse(r.stdout)).toMatchObject({ text: ' Positive.', finishReason: 'stop' });
  });

  it.each([
    ['not-gguf.gguf', [], /^shotglass: Could not load not-gguf\.gguf: this is not a GGUF model file/],
    ['truncated.gguf', [], /^shotglass: Could not load truncated\.gguf: tensor "output\.weight" lies beyond the end/],
    ['missing-ffn-length.gguf', [], /lacks "llama\.feed_forward_length"/],
    ['missing-ffn-length.gguf', ['--skip-checks'], /inference process stopped unexpectedly \(llama\.cpp hit an internal check/],
    ['no-such-file.gguf', [], /^shotglass: the file .*no-such-file\.gguf does not exist$/m],
  ])('%s %j: exit 1 and one readable line', async (file, extra, expected) => {
    const r = await shotglass('complete', '--model', fixture(file), '--prompt', 'hi', ...extra);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(expected);
    expect(r.stderr).not.toMatch(/\bat .*:\d+:\d+/);
  });

  it.each([
    [['--temperature', '7'], /--temperature must be at most 2/],
    [['--max-tokens', 'lots'], /--max-tokens must be a number/],
    [['--top-k', '1.5'], /--top-k must be a whole number/],
    [['--frobnicate'], /Unknown option '--frobnicate'/],
    [['--repeat-penalty', '1.2', '--penalty-last-n', '0'], /^shotglass: --penalty-last-n is 0, so the repeat/],
    [['--token-bias', '5=lots'], /--token-bias must be a number, got "lots"/],
    [['--xtc-threshold', '0.9'], /^shotglass: --xtc-threshold must be at most 0\.5$/m],
    [['--json-schema', '/no/such/schema.json'], /--json-schema: cannot read \/no\/such\/schema\.json \(ENOENT\)/],
  ])('rejects %j with usage exit code 2', async (flags, expected) => {
    const r = await shotglass('complete', '--model', DEMO_MODEL, '--prompt', 'hi', ...flags);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(expected);
  });

  it('needs --model and --prompt', async () => {
    expect((await shotglass('complete', '--prompt', 'x')).stderr).toMatch(/--model <file\.gguf> is required/);
    expect((await shotglass('complete', '--model', DEMO_MODEL)).stderr).toMatch(/--prompt <text> is required/);
  });
});

describe('shotglass complete: probabilities and constraints', () => {
  it('--probs N prints each token with its probability and top N alternatives', async () => {
    const r = await shotglass('complete', '--model', DEMO_MODEL, '--prompt', prompt, '--temperature', '0', '--max-tokens', '2', '--probs', '2');
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe(' Positive.');
    expect(r.stdout).toContain('token probabilities');
    expect(r.stdout).toMatch(/" Positive"\s+0\.4294\s+\| " Positive" 0\.4294, " Negative" 0\.2862\n/);
  });

  it('--json with --probs carries every step', async () => {
    const r = await shotglass('complete', '--model', DEMO_MODEL, '--prompt', prompt, '--temperature', '0', '--max-tokens', '3', '--probs', '4', '--json');
    const out = JSON.parse(r.stdout);
    expect(out.probabilities).toHaveLength(3);
    expect(out.probabilities[0].top).toHaveLength(4);
    expect(out.probabilities[0]).toMatchObject({ text: ' Positive', p: expect.closeTo(0.4294, 4) });
  });

  it('--json-schema output parses and follows the schema', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sg-cli-'));
    writeFileSync(join(dir, 'schema.json'), JSON.stringify({ type: 'object', properties: { n: { type: 'integer' } }, required: ['n'] }));
    const r = await shotglass('complete', '--model', DEMO_MODEL, '--prompt', 'JSON:', '--seed', '1', '--json-schema', join(dir, 'schema.json'), '--json');
    expect(r.code).toBe(0);
    const value = JSON.parse(JSON.parse(r.stdout).text);
    expect(Object.keys(value)).toEqual(['n']);
    expect(Number.isInteger(value.n)).toBe(true);
  });

  it('--grammar constrains the text; a broken grammar is one line and exit 2', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sg-cli-'));
    writeFileSync(join(dir, 'ok.gbnf'), 'root ::= " " ("yes" | "no")');
    writeFileSync(join(dir, 'bad.gbnf'), 'root ::= (');
    const ok = await shotglass('complete', '--model', DEMO_MODEL, '--prompt', prompt, '--grammar', join(dir, 'ok.gbnf'), '--seed', '2');
    expect([' yes\n', ' no\n']).toContain(ok.stdout);
    const bad = await shotglass('complete', '--model', DEMO_MODEL, '--prompt', prompt, '--grammar', join(dir, 'bad.gbnf'));
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^shotglass: the grammar cannot be used: .+\n$/);
  });
});

describe('shotglass chat, inspect and tokenize', () => {
  it('chat renders messages through the model\'s template and ends at the end of the turn', async () => {
    const r = await shotglass('chat', '--model', DEMO_MODEL, '--system', 'You are a helpful assistant.', '--user', 'Hello!', '--temperature', '0', '--json');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.text).toBe(' Positive.');
    expect(out.finishReason).toBe('stop');
    expect(out.record.prompt.mode).toBe('chat');
  });

  it('chat without a user message is a usage error', async () => {
    const r = await shotglass('chat', '--model', DEMO_MODEL, '--system', 'x');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/chat needs at least one --user message/);
  });

  it('inspect describes a file without loading it, as text or JSON', async () => {
    const text = await shotglass('inspect', DEMO_MODEL);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^architecture\s+llama$/m);
    expect(text.stdout).toMatch(/^quantization\s+F32$/m);
    expect(text.stdout).toMatch(/^vocabulary\s+1,103 tokens \(llama\)$/m);
    expect(text.stdout).toMatch(/^memory .*: fits$/m);
    const json = JSON.parse((await shotglass('inspect', DEMO_MODEL, '--json')).stdout);
    expect(json).toMatchObject({ architecture: 'llama', layers: 1, contextLength: 4096 });
    const broken = await shotglass('inspect', fixture('truncated.gguf'));
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/^shotglass: tensor "output\.weight" lies beyond the end of the file/);
  });

  it('tokenize lists ids and pieces, special tokens marked', async () => {
    const r = await shotglass('tokenize', '--model', DEMO_MODEL, '--text', 'Q: Hi');
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toBe('1\t"<s>"\tspecial');
    expect(lines.slice(1).map((l) => Number(l.split('\t')[0]))).toEqual(tokenizer.tokenize('Q: Hi'));
    const json = JSON.parse((await shotglass('tokenize', '--model', DEMO_MODEL, '--text', 'Q: Hi', '--json')).stdout);
    expect(json.tokens[0]).toEqual({ id: 1, text: '<s>', special: true });
  });
});

describe('shotglass render and run (template files, as in a git repository)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sg-cli-templates-'));
  const sentiment = STARTERS.find((s) => s.id === 'sentiment-few-shot')!.template;
  const file = join(dir, 'sentiment.yaml');
  writeFileSync(file, toYaml(toPlain(sentiment)));
  const needsTwo = join(dir, 'needs-two.yaml');
  writeFileSync(needsTwo, toYaml(toPlain({ ...sentiment, input: '{{title}}: {{review}}', variables: [] })));
  const broken = join(dir, 'broken.yaml');
  writeFileSync(broken, 'name: [unclosed\n');

  it('render prints exactly what assembly gives, with defaults and --var values', async () => {
    const r = await shotglass('render', file, '--var', 'review=The food was cold.');
    const expected = assemble(sentiment, { review: 'The food was cold.' });
    expect(r.code).toBe(0);
    expect(expected.mode === 'completion' && r.stdout).toBe(expected.mode === 'completion' ? expected.text + '\n' : '');
  });

  it('render --model shows the tokens the model will evaluate', async () => {
    const r = await shotglass('render', file, '--var', 'review=The food was cold.', '--model', DEMO_MODEL, '--json');
    const out = JSON.parse(r.stdout);
    const expected = assemble(sentiment, { review: 'The food was cold.' });
    const text = expected.mode === 'completion' ? expected.text : '';
    expect(out.tokens.map((t: { id: number }) => t.id)).toEqual([BOS, ...tokenizer.tokenize(text)]);
    expect(out.templateHash).toBe(hashTemplate(sentiment));
  });

  it('run generates with the template\'s sampling and extracts the answer', async () => {
    const r = await shotglass('run', file, '--var', 'review=The food was cold.', '--model', DEMO_MODEL, '--json');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ text: ' Positive.', answer: 'Positive', finishReason: 'stop', stopString: '\n' });
    expect(out.record.sampling.temperature).toBe(0); // the template's Deterministic preset
    expect(out.record.templateHash).toBe(hashTemplate(sentiment));
  });

  it('a missing variable names every missing one; a broken file says why', async () => {
    const missing = await shotglass('render', needsTwo);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/title/);
    expect(missing.stderr).toMatch(/review/);
    const bad = await shotglass('render', broken);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(new RegExp(`^shotglass: ${broken.replace(/[/.]/g, '\\$&')} `));
  });
});

describe('shotglass compare', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sg-cli-compare-'));
  const sentiment = STARTERS.find((s) => s.id === 'sentiment-few-shot')!.template;
  writeFileSync(join(dir, 'sentiment.yaml'), toYaml(toPlain(sentiment)));
  writeFileSync(
    join(dir, 'comparison.yaml'),
    [
      'name: few-shot vs bare',
      'seed: 42',
      'sampling: { temperature: 0.8, maxTokens: 12 }',
      'vars: { review: "The food was cold." }',
      'variants:',
      '  - { label: few-shot, model: ' + JSON.stringify(DEMO_MODEL) + ', template: sentiment.yaml }',
      '  - { label: bare, model: ' + JSON.stringify(DEMO_MODEL) + ', prompt: "Q: The food was cold.\\nA:", sampling: { stop: ["\\n"] } }',
    ].join('\n'),
  );

  it('runs a comparison file; the template keeps its own stop string; repeats use consecutive seeds', async () => {
    const r = await shotglass('compare', join(dir, 'comparison.yaml'), '--repeat', '2', '--json');
    expect(r.code).toBe(0);
    const c = JSON.parse(r.stdout);
    expect(c.runs.map((run: { seed: number }) => run.seed)).toEqual([42, 43, 42, 43]);
    for (const run of c.runs) {
      expect(run.result.text).not.toContain('\n');
      expect(run.result.record.sampling.temperature).toBe(0.8);
    }
    expect(c.spec.variants[0].template.hash).toBe(hashTemplate(sentiment));
  });

  it('the quick form compares prompts on one model; --markdown writes a report', async () => {
    const r = await shotglass('compare', '--model', DEMO_MODEL, '--prompt', prompt, '--prompt', 'The model', '--temperature', '0', '--max-tokens', '6', '--markdown');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^# Comparison\n/);
    expect(r.stdout).toContain('| Prompt A | shotglass-demo.gguf | 0 |');
    expect(r.stdout).toContain('First divergence between Prompt A and Prompt B: token 1');
    const expectedA = designedText(design, designedGreedy(design, [BOS, ...tokenizer.tokenize(prompt)], 6));
    expect(r.stdout).toContain('```text\n' + expectedA + '\n```');
  });

  it('a bad comparison file is one line naming the problem', async () => {
    writeFileSync(join(dir, 'one.yaml'), 'variants:\n  - { model: x.gguf, prompt: hi }\n');
    const r = await shotglass('compare', join(dir, 'one.yaml'));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/one\.yaml: variants needs at least 2 variants\n$/);
  });
});
