// The runner's grader for checks pure code cannot grade: `javascript` here (worker + vm). A judge
// model for `llm-rubric` is the runner's to add (it needs a loaded model); without one the check
// is skipped with a reason, never passed.
import type { ExternalGrader } from '../../core/eval/checks/grade.js';
import { runJavascriptCheck, type JavascriptLimits } from './javascript-check.js';

export function nodeExternalGrader(limits: JavascriptLimits = {}): ExternalGrader {
  return async (check, base, ctx) => {
    if (base === 'javascript') {
      if (typeof check.value !== 'string' || check.value.trim() === '') return { pass: false, score: 0, reason: 'the javascript check needs an expression' };
      return runJavascriptCheck(check.value, { output: ctx.output, answer: ctx.answer, vars: ctx.vars }, { ...limits, ...(check.threshold !== undefined ? { threshold: check.threshold } : {}) });
    }
    return { pass: false, score: 0, reason: `${base} needs a judge model, which this run was not given`, skipped: true };
  };
}
