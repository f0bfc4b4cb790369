import { describe, expect, test } from 'vitest';
import { gradeCase } from '../../../core/eval/index.js';
import { nodeExternalGrader } from '../../../service/eval/external-grader.js';
import { outcomeOf, runJavascriptCheck } from '../../../service/eval/javascript-check.js';

const input = { output: 'Reasoning.\nAnswer: Positive', answer: 'Positive', vars: { label: 'Positive' } };

describe('the javascript check in a worker', () => {
  test('an expression over output, answer and vars', async () => {
    expect(await runJavascriptCheck('answer === vars.label && output.includes("Reasoning")', input)).toEqual({ pass: true, score: 1, reason: 'the expression returned true' });
    expect(await runJavascriptCheck('answer.length > 20', input)).toMatchObject({ pass: false, score: 0 });
  });

  test('a function body with return, a score, and a grading result', async () => {
    expect(await runJavascriptCheck('const n = output.split("\\n").length;\nreturn n / 4;', input, { threshold: 0.5 })).toMatchObject({ pass: true, score: 0.5 });
    expect(await runJavascriptCheck('({ pass: false, score: 0.25, reason: "too short" })', input)).toEqual({ pass: false, score: 0.25, reason: 'too short' });
    expect(await runJavascriptCheck('"yes"', input)).toMatchObject({ pass: false, reason: 'the expression must return true/false, a number or { pass, score, reason }' });
  });

  test('a syntax error or a throw fails with the message', async () => {
    expect((await runJavascriptCheck('output.(', input)).reason).toMatch(/^the expression failed: /);
    expect(await runJavascriptCheck('(() => { throw new Error("boom") })()', input)).toMatchObject({ pass: false, reason: 'the expression failed: boom' });
  });

  test('an endless loop is stopped at the time limit', async () => {
    expect(await runJavascriptCheck('while (true) {}', input, { timeoutMs: 200 })).toEqual({ pass: false, score: 0, reason: 'the expression ran longer than 200 ms' });
  });

  test('runaway memory is stopped at the memory limit, and the next check still runs', async () => {
    const r = await runJavascriptCheck('const a = []; while (true) a.push(new Array(100000).fill(Math.random()));', input, { memoryMb: 32, timeoutMs: 20000 });
    expect(r).toEqual({ pass: false, score: 0, reason: 'the expression used more than 32 MB' });
    expect(await runJavascriptCheck('true', input)).toMatchObject({ pass: true });
  });

  test('no way out to Node: no require, no process, and the constructor escape finds code generation disabled', async () => {
    expect(await runJavascriptCheck('typeof require === "undefined" && typeof process === "undefined"', input)).toMatchObject({ pass: true });
    const escape = await runJavascriptCheck('this.constructor.constructor("return process")().pid > 0', input);
    expect(escape.pass).toBe(false);
    expect(escape.reason).toMatch(/^the expression failed: Code generation from strings disallowed/);
    const viaVars = await runJavascriptCheck('vars.constructor.constructor("return process")()', input);
    expect(viaVars.reason).toMatch(/Code generation from strings disallowed/);
  });

  test('async code is refused rather than graded on a pending promise', async () => {
    expect((await runJavascriptCheck('Promise.resolve(true)', input)).reason).toBe('the expression failed: the expression must not be async');
  });

  test('statements without a return give no result; outcomeOf reads numbers and clamps scores', async () => {
    expect((await runJavascriptCheck('if (output) { output.length }', input)).reason).toBe('the expression must return true/false, a number or { pass, score, reason }');
    expect((await runJavascriptCheck('return output.indexOf("return") < 0', input)).pass).toBe(true);
    expect(outcomeOf(0)).toMatchObject({ pass: false });
    expect(outcomeOf(1.5)).toMatchObject({ pass: true, score: 1 });
  });
});

describe('the external grader in a case', () => {
  test('javascript checks graded in the worker, not- applied, llm-rubric skipped without a judge', async () => {
    const grade = await gradeCase(
      [
        { type: 'javascript', value: 'answer === vars.label' },
        { type: 'not-javascript', value: 'output.length > 1000' },
        { type: 'llm-rubric', value: 'is polite' },
      ],
      input,
      { external: nodeExternalGrader() },
    );
    expect(grade.pass).toBe(true);
    expect(grade.results.map((r) => [r.pass, r.skipped ?? false])).toEqual([
      [true, false],
      [true, false],
      [false, true],
    ]);
    expect(grade.results[2]!.reason).toBe('llm-rubric needs a judge model, which this run was not given');
  });
});
