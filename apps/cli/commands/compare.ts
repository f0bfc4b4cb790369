// `shotglass compare`: a comparison file, or --model with two or more --prompt.
import { ComparisonFileSchema, type ComparisonFile } from '../../../core/compare/file.js';
import { num, sampling, UsageError, type Values } from '../args.js';
import { baseDirOf, comparisonToMarkdown, formatComparison, readComparisonFile, runComparison } from '../compare.js';
import { withService } from '../session.js';

export async function compare(values: Values, positionals: string[]): Promise<number> {
  if (values.json && values.markdown) throw new UsageError('give --json or --markdown, not both');
  const repeat = num('repeat', values.repeat);
  let file: ComparisonFile;
  let baseDir = process.cwd();
  if (positionals[0]) {
    file = readComparisonFile(positionals[0]);
    baseDir = baseDirOf(positionals[0]);
  } else {
    if (!values.model) throw new UsageError('compare needs a comparison file, or --model and two or more --prompt');
    if ((values.prompt?.length ?? 0) < 2) throw new UsageError('compare needs at least two --prompt');
    file = ComparisonFileSchema.parse({
      variants: values.prompt!.map((prompt, i) => ({ label: `Prompt ${String.fromCharCode(65 + i)}`, model: values.model, prompt })),
      sampling: sampling(values),
      probabilities: num('probs', values.probs) ?? 5,
    });
  }
  if (repeat !== undefined) file = { ...file, repeats: repeat };
  return withService(values, async (s) => {
    const comparison = await runComparison(s, file, baseDir);
    process.stdout.write(
      values.json ? JSON.stringify(comparison) + '\n' : values.markdown ? comparisonToMarkdown(comparison) : formatComparison(comparison),
    );
    return comparison.runs.every((r) => r.result) ? 0 : 1;
  });
}
