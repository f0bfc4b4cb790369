// Mode and technique: views over the same template, so switching never loses an example.
import { describeSelection, TECHNIQUE_LABELS, TECHNIQUES, type Mode, type Technique } from '../../../../core/prompt/index';
import { useActions, useAppStore } from '../../store';
import { Segmented } from '../Segmented';

const MODES: { value: Mode; label: string; title: string }[] = [
  { value: 'completion', label: 'Completion', title: 'One text the model continues (base models)' },
  { value: 'chat', label: 'Chat', title: "Messages rendered through the model's chat template (instruct models)" },
];

const TECHNIQUE_TITLES: Record<Technique, string> = {
  'zero-shot': 'The instruction and the input only; examples are kept but not shown',
  'one-shot': 'Shows the first enabled example',
  'few-shot': 'Shows every enabled example',
  'chain-of-thought': 'Shows every enabled example with its reasoning, and asks to think step by step',
};

const TECHNIQUE_OPTIONS = TECHNIQUES.map((t) => ({
  value: t,
  label: t === 'chain-of-thought' ? 'CoT' : TECHNIQUE_LABELS[t],
  title: `${TECHNIQUE_LABELS[t]}: ${TECHNIQUE_TITLES[t]}`,
}));

export function TechniqueBar() {
  const mode = useAppStore((s) => s.template.draft.mode);
  const technique = useAppStore((s) => s.template.draft.technique);
  // A string: re-renders only when the summary changes.
  const summary = useAppStore((s) => describeSelection(s.template.draft));
  const { setMode, setTechnique } = useActions();
  return (
    <div className="technique-bar">
      <Segmented label="Mode" value={mode} options={MODES} onChange={setMode} testIdPrefix="mode" size="small" />
      <Segmented label="Technique" value={technique} options={TECHNIQUE_OPTIONS} onChange={setTechnique} testIdPrefix="technique" size="small" />
      <span className="technique-summary" data-testid="technique-summary">
        {summary}
      </span>
    </div>
  );
}
