// `shotglass complete` as a user runs it: a real process, real stdout/stderr and exit codes.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BOS, demoModel, designedGreedy, designedText } from '../../scripts/gguf/demo-model.js';
import { DEMO_MODEL, fixture, ROOT } from '../helpers/backend.js';

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

  it('--json prints one object with text, tokens, finish reason and metrics', async () => {
    const r = await shotglass(
      'complete', '--model', DEMO_MODEL, '--prompt', prompt, '--json',
      '--temperature', '0.9', '--seed', '7', '--top-k', '20', '--top-p', '0.9', '--min-p', '0.01', '--max-tokens', '12',
    );
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(Object.keys(out).sort()).toEqual(['finishReason', 'metrics', 'text', 'tokens']);
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
