// The inference process under hostile input: a chat template that loops for hours, text the
// tokenizer would chew on for half a minute, a token id that would wrap, a process that hangs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBackend, type TestService } from '../helpers/backend.js';

const NESTED_LOOP =
  '{% for i in range(20000) %}{% for j in range(20000) %}{% if i == -1 %}x{% endif %}{% endfor %}{% endfor %}' +
  "{% for m in messages %}{{ m['content'] }}{% endfor %}";
const messages = [{ role: 'user' as const, content: 'Hello' }];

describe('a hostile chat template', () => {
  let backend: TestService;
  beforeAll(async () => {
    backend = await startTestBackend();
    await backend.api.loadModel({ modelId: backend.demoId });
  });
  afterAll(() => backend.dispose());

  it('a nested 20,000 × 20,000 loop times out with a clear error; the process keeps serving and the next run works', async () => {
    const pid = backend.host.pid;
    // tokenize and cancel are answered while the template runs (it runs off the process's thread)
    const rendering = backend.api.renderPrompt({ modelId: backend.demoId, input: { mode: 'chat', messages, template: NESTED_LOOP } });
    const meanwhile = await backend.api.tokenize({ modelId: backend.demoId, text: 'still here' });
    expect(meanwhile.ids.length).toBeGreaterThan(0);
    await expect(rendering).rejects.toMatchObject({
      code: 'invalid-argument',
      message: expect.stringMatching(/^the chat template took longer than [\d.]+ s to render and was stopped/),
    });
    expect(backend.host.pid).toBe(pid);
    const next = await backend.run(backend.demoId, 'Q: This movie sucks!\nA:', { temperature: 0, maxTokens: 4 });
    expect(next.error).toBeUndefined();
    expect(next.result?.tokens.length).toBe(4);
    const chat = await backend.api.renderPrompt({ modelId: backend.demoId, input: { mode: 'chat', messages } });
    expect(chat.text).toContain('Hello');
  });

  it('a template whose output is enormous is stopped by the size limit', async () => {
    const huge = "{% for i in range(3000000) %}xx{% endfor %}{% for m in messages %}{{ m['content'] }}{% endfor %}";
    await expect(
      backend.api.renderPrompt({ modelId: backend.demoId, input: { mode: 'chat', messages, template: huge } }),
    ).rejects.toMatchObject({ message: expect.stringMatching(/^the chat template (could not be rendered: it produced more than|took longer)/) });
    expect((await backend.api.tokenize({ modelId: backend.demoId, text: 'ok' })).ids.length).toBeGreaterThan(0);
  });

  it('1 MB of emoji is refused by the tokenizer limits, quickly and clearly', async () => {
    await expect(backend.api.tokenize({ modelId: backend.demoId, text: '😀'.repeat(250_000) })).rejects.toMatchObject({
      code: 'invalid-argument',
      message: expect.stringMatching(/without a space or line break|Shotglass tokenizes at most/),
    });
    const spaced = '😀😀😀😀😀😀😀 '.repeat(40_000);
    await expect(backend.api.tokenize({ modelId: backend.demoId, text: spaced })).rejects.toMatchObject({
      message: expect.stringMatching(/Shotglass tokenizes at most 512 KB at once/),
    });
  });

  it('a 5 MB chat is refused before it reaches the inference process', async () => {
    const big = Array.from({ length: 5 }, () => ({ role: 'user' as const, content: 'x'.repeat(1_000_000) }));
    await expect(backend.api.renderPrompt({ modelId: backend.demoId, input: { mode: 'chat', messages: big } })).rejects.toMatchObject({
      code: 'invalid-argument',
      message: expect.stringMatching(/^input\.messages hold more than 1,000,000 characters in all/),
    });
  });

  it('a token-bias id of 2^32+5 is refused, not applied to token 5', async () => {
    await expect(
      backend.api.startCompletion({ modelId: backend.demoId, prompt: 'x', sampling: { tokenBias: [{ token: 2 ** 32 + 5, bias: 'never' }] } }),
    ).rejects.toMatchObject({ code: 'invalid-argument', message: expect.stringMatching(/^sampling\.tokenBias\.0\.token/) });
    // an id inside 32 bits but past the vocabulary is refused by the process, naming the vocabulary
    const outcome = await backend.run(backend.demoId, 'x', { tokenBias: [{ token: 2 ** 31 - 1, bias: 5 }], maxTokens: 2 });
    expect(outcome.error?.message).toMatch(/token id 2147483647 is outside the model's vocabulary of \d+/);
  });
});

describe('a process that hangs', () => {
  it('Stop ends the run at once by restarting it (before the watchdog would), and the next run works', async () => {
    // The watchdog is set far out, so only Stop's one-second limit can end this run.
    const backend = await startTestBackend({ SHOTGLASS_HOST_FAULT: 'hang-after-tokens' }, { hangTimeoutMs: 600_000 });
    try {
      const started = await backend.api.startCompletion({ modelId: backend.demoId, prompt: 'Q: This movie sucks!\nA:', sampling: { maxTokens: 50 } });
      await expect.poll(() => backend.events.some((e) => e.type === 'run.delta' && e.runId === started.runId), { timeout: 60_000 }).toBe(true);
      const pid = backend.host.pid;
      expect(await backend.api.cancelRun({ runId: started.runId })).toEqual({ cancelled: true });
      await expect.poll(() => backend.events.find((e) => e.type === 'run.error' && e.runId === started.runId)).toMatchObject({
        error: { message: expect.stringMatching(/did not take Stop within a second/) },
      });
      expect(backend.host.pid).not.toBe(pid);
    } finally {
      await backend.dispose();
    }
  });

  it('the supervisor restarts a process that stops answering, without anyone asking', async () => {
    const backend = await startTestBackend({ SHOTGLASS_HOST_FAULT: 'hang-after-tokens' }, { hangTimeoutMs: 3_000 });
    try {
      const outcome = await backend.run(backend.demoId, 'Q: This movie sucks!\nA:', { maxTokens: 50 });
      expect(outcome.error?.code).toBe('host-crashed');
      expect(outcome.error?.message).toMatch(/restarted because it did not respond for 3 s/);
      expect(backend.events.some((e) => e.type === 'host' && e.status === 'crashed')).toBe(true);
    } finally {
      await backend.dispose();
    }
  });
});
