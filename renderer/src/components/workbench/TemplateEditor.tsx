// The template, top to bottom in the order the prompt is built: system (chat), instruction,
// examples, example format (completion), chain-of-thought, input; then its variables.
import type { ReactNode } from 'react';
import { useAppStore, useActions } from '../../store';
import { Problems } from './Problems';
import { ShotsManager } from './ShotsManager';
import { TechniqueBar } from './TechniqueBar';
import { TemplateDetails } from './TemplateDetails';
import { LazyTemplateFieldEditor as TemplateFieldEditor } from '../LazyEditors';
import { VariablesPanel } from './VariablesPanel';

export function TemplateEditor() {
  const mode = useAppStore((s) => s.template.draft.mode);
  const cot = useAppStore((s) => s.template.draft.technique === 'chain-of-thought');
  const hasSystem = useAppStore((s) => s.template.draft.system !== '');
  const loadCount = useAppStore((s) => s.template.loadCount);

  return (
    <div className="template-editor" data-testid="template-editor">
      <TechniqueBar />
      <Problems />
      {mode === 'chat' ? (
        <Field title="System" hint="the system message (chat)">
          <TemplateFieldEditor field="system" label="System message" testId="field-system" placeholder="You are a careful assistant…" />
        </Field>
      ) : hasSystem ? (
        <p className="section-note">The system message is kept; chat mode uses it.</p>
      ) : null}
      <Field title="Instruction" hint={mode === 'chat' ? 'opens the first user message' : 'the first paragraph'}>
        <TemplateFieldEditor field="instruction" label="Instruction" testId="field-instruction" placeholder="What the model should do, in plain words" />
      </Field>
      {/* Keyed by load: a newly opened template starts with fresh cards. */}
      <ShotsManager key={loadCount} />
      {mode === 'completion' ? (
        <Field title="Example format" hint="{{input}} then {{output}}; also frames the final input">
          <TemplateFieldEditor field="exampleFormat" label="Example format" testId="field-example-format" maxLines={6} />
        </Field>
      ) : null}
      {cot ? <ChainOfThought /> : null}
      <Field title="Input" hint="the final input, from your variables">
        <TemplateFieldEditor field="input" label="Input" testId="field-input" placeholder="{{text}}" />
      </Field>
      <VariablesPanel />
      <TemplateDetails />
    </div>
  );
}

function Field({ title, hint, children }: { title: string; hint?: string; children: ReactNode }) {
  return (
    <section className="section" aria-label={title}>
      <header className="section-header">
        <h3 className="section-title">{title}</h3>
        {hint ? <span className="section-meta">{hint}</span> : null}
      </header>
      {children}
    </section>
  );
}

function ChainOfThought() {
  const placement = useAppStore((s) => s.template.draft.chainOfThought.placement);
  const { updateTemplate } = useActions();
  const chainOfThought = useAppStore((s) => s.template.draft.chainOfThought);
  return (
    <section className="section" aria-label="Chain of thought">
      <header className="section-header">
        <h3 className="section-title">Chain of thought</h3>
        <label className="inline-field inline-field-compact">
          <span>Trigger</span>
          <select
            data-testid="cot-placement"
            value={placement}
            onChange={(e) => updateTemplate({ chainOfThought: { ...chainOfThought, placement: e.target.value as typeof placement } })}
          >
            <option value="after-input">starts the answer</option>
            <option value="before-input">before the input</option>
          </select>
        </label>
      </header>
      <TemplateFieldEditor field="chainOfThought.trigger" label="Chain-of-thought trigger" testId="field-cot-trigger" placeholder="empty: no trigger (the examples' reasoning alone)" maxLines={3} />
      <div className="subfield-label">Answer format of examples with reasoning</div>
      <TemplateFieldEditor field="chainOfThought.answerFormat" label="Answer format" testId="field-cot-answer" maxLines={4} />
    </section>
  );
}
