// The `javascript` check: an expression (or a function body with `return`) over `output`,
// `answer` and `vars`, run off the main thread with a time and a memory limit.
//
//   output.length < 40                          true/false: pass or fail
//   return answer === vars.label ? 1 : 0.5      a number: the score (passes when >= the check's
//                                               threshold, or > 0 without one, as promptfoo does)
//   ({ pass: true, score: 0.8, reason: "..." })  promptfoo's grading result
//
// Isolation, layer by layer: a worker thread with resourceLimits (a heap cap: a runaway
// allocation ends the worker, not the app), a fresh vm context whose sandbox is a null-prototype
// object holding one string, the data parsed inside the context (no object from the host realm:
// with an ordinary `{}` sandbox, `this.constructor.constructor("return process")()` reaches the
// worker's process, which the tests show), string code generation disabled in that context (so
// its own Function cannot compile code either), vm's timeout for synchronous loops, and a hard
// terminate() for anything else.
// `vm` is not a security boundary against a determined attacker; this contains mistakes and
// runaway code in the user's own checks. Never in the renderer.
import { Worker } from 'node:worker_threads';
import type { Outcome } from '../../core/eval/checks/deterministic.js';

export interface JavascriptLimits {
  /** wall time for the expression itself */
  timeoutMs?: number;
  /** the worker's old-generation heap cap */
  memoryMb?: number;
}

export interface JavascriptInput {
  output: string;
  answer: string | null;
  vars: Record<string, string>;
}

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const vm = require('node:vm');
const { source, json, timeoutMs } = workerData;
try {
  // a null-prototype sandbox holding one string: the context's global leads to no host object
  const sandbox = Object.create(null);
  sandbox.__json = json;
  const context = vm.createContext(sandbox, { codeGeneration: { strings: false, wasm: false } });
  const wrap = (body) => new vm.Script(
    '(() => { const { output, answer, vars } = JSON.parse(globalThis.__json); delete globalThis.__json;' +
    ' const context = { vars }; const __r = (() => {\\n' + body + '\\n})();' +
    ' if (__r && typeof __r.then === "function") throw new Error("the expression must not be async");' +
    ' return JSON.stringify(__r === undefined ? null : __r); })()',
    { filename: 'check.js' },
  );
  // an expression first (output.length < 40), else statements with their own return
  let script;
  try {
    script = wrap('return (' + source + '\\n);');
  } catch {
    script = wrap(source);
  }
  parentPort.postMessage({ ok: true, result: script.runInContext(context, { timeout: timeoutMs }) });
} catch (error) {
  const timedOut = error && error.code === 'ERR_SCRIPT_EXECUTION_TIMEOUT';
  parentPort.postMessage({ ok: false, timedOut, message: error && error.message ? String(error.message) : String(error) });
}
`;

/** Turns what the expression returned into a check outcome (before `not-`). */
export function outcomeOf(value: unknown, threshold?: number): Outcome {
  if (typeof value === 'boolean') return { pass: value, score: value ? 1 : 0, reason: `the expression returned ${value}` };
  if (typeof value === 'number' && Number.isFinite(value)) {
    const pass = threshold !== undefined ? value >= threshold : value > 0;
    return { pass, score: Math.min(1, Math.max(0, value)), reason: `the expression returned ${value}${threshold !== undefined ? ` (at least ${threshold} wanted)` : ''}` };
  }
  if (value && typeof value === 'object' && typeof (value as { pass?: unknown }).pass === 'boolean') {
    const r = value as { pass: boolean; score?: unknown; reason?: unknown };
    const score = typeof r.score === 'number' && Number.isFinite(r.score) ? Math.min(1, Math.max(0, r.score)) : r.pass ? 1 : 0;
    return { pass: r.pass, score, reason: typeof r.reason === 'string' && r.reason ? r.reason : `the expression returned pass: ${r.pass}` };
  }
  return { pass: false, score: 0, reason: 'the expression must return true/false, a number or { pass, score, reason }' };
}

export function runJavascriptCheck(source: string, input: JavascriptInput, options: JavascriptLimits & { threshold?: number } = {}): Promise<Outcome> {
  const { timeoutMs = 1000, memoryMb = 64 } = options;
  return new Promise((resolve) => {
    let settled = false;
    const finish = (outcome: Outcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate();
      resolve(outcome);
    };
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { source, json: JSON.stringify(input), timeoutMs },
      resourceLimits: { maxOldGenerationSizeMb: memoryMb, maxYoungGenerationSizeMb: Math.max(4, Math.min(16, memoryMb / 4)), codeRangeSizeMb: 16 },
      // the check gets no environment, no stdin, and its output does not reach ours
      env: {},
      stdin: false,
      stdout: true,
      stderr: true,
    });
    // the vm timeout stops synchronous loops; this stops anything else (worker start-up is included, hence the margin)
    const timer = setTimeout(() => finish({ pass: false, score: 0, reason: `the expression ran longer than ${timeoutMs} ms` }), timeoutMs + 2000);
    worker.on('message', (m: { ok: true; result: string } | { ok: false; timedOut: boolean; message: string }) => {
      if (!m.ok) {
        finish({ pass: false, score: 0, reason: m.timedOut ? `the expression ran longer than ${timeoutMs} ms` : `the expression failed: ${m.message}` });
        return;
      }
      let value: unknown;
      try {
        value = JSON.parse(m.result);
      } catch {
        value = undefined;
      }
      finish(outcomeOf(value, options.threshold));
    });
    worker.on('error', (error: Error & { code?: string }) =>
      finish({ pass: false, score: 0, reason: error.code === 'ERR_WORKER_OUT_OF_MEMORY' ? `the expression used more than ${memoryMb} MB` : `the expression failed: ${error.message}` }),
    );
    worker.on('exit', () => finish({ pass: false, score: 0, reason: 'the expression stopped without a result' }));
  });
}
