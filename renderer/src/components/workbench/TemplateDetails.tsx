// The template's other fields, folded away: description, tags, answer extraction, the separator
// between blocks, the model hint and notes.
import { useState } from 'react';
import { EXTRACTION_RULES, type ExtractionRule } from '../../../../core/prompt/index';
import { useActions, useAppStore } from '../../store';
import { parseEscapes, showEscapes } from '../../store/sampling';

const RULE_WORDS: Record<ExtractionRule['rule'], string> = {
  full: 'the whole output',
  'first-line': 'the first line',
  'last-line': 'the last line',
  'after-marker': 'after a marker',
  regex: 'a regular expression',
};

export function TemplateDetails() {
  const description = useAppStore((s) => s.template.draft.description);
  const tags = useAppStore((s) => s.template.draft.tags);
  const mode = useAppStore((s) => s.template.draft.mode);
  const separator = useAppStore((s) => s.template.draft.exampleSeparator);
  const extraction = useAppStore((s) => s.template.draft.extraction);
  const modelHint = useAppStore((s) => s.template.draft.modelHint);
  const notes = useAppStore((s) => s.template.draft.notes);
  const { updateTemplate } = useActions();
  const [tagText, setTagText] = useState<string | null>(null);

  return (
    <details className="section details">
      <summary className="section-header">
        <h3 className="section-title">Details</h3>
        <span className="section-meta">description, tags, answer, notes</span>
      </summary>
      <div className="details-grid">
        <label className="inline-field">
          <span>Description</span>
          <input type="text" data-testid="template-description" value={description} onChange={(e) => updateTemplate({ description: e.target.value })} />
        </label>
        <label className="inline-field">
          <span>Tags</span>
          <input
            type="text"
            data-testid="template-tags"
            placeholder="comma separated"
            value={tagText ?? tags.join(', ')}
            onChange={(e) => {
              setTagText(e.target.value);
              const list = [...new Set(e.target.value.split(',').map((t) => t.trim()).filter(Boolean))];
              updateTemplate({ tags: list });
            }}
            onBlur={() => setTagText(null)}
          />
        </label>
        <label className="inline-field">
          <span>Answer</span>
          <select
            value={extraction.rule}
            onChange={(e) => {
              const rule = e.target.value as ExtractionRule['rule'];
              updateTemplate({
                extraction:
                  rule === 'after-marker'
                    ? { rule, marker: 'Answer:' }
                    : rule === 'regex'
                      ? { rule, pattern: '(.*)', flags: '' }
                      : { rule },
              });
            }}
          >
            {EXTRACTION_RULES.map((r) => (
              <option key={r} value={r}>
                {RULE_WORDS[r]}
              </option>
            ))}
          </select>
          {extraction.rule === 'after-marker' ? (
            <input type="text" aria-label="Marker" value={extraction.marker} onChange={(e) => updateTemplate({ extraction: { ...extraction, marker: e.target.value } })} />
          ) : null}
          {extraction.rule === 'regex' ? (
            <input type="text" aria-label="Pattern" className="mono" value={extraction.pattern} onChange={(e) => updateTemplate({ extraction: { ...extraction, pattern: e.target.value } })} />
          ) : null}
        </label>
        {mode === 'completion' ? (
          <label className="inline-field" title="Put between the instruction, each example and the input (\n is a newline)">
            <span>Separator</span>
            <input type="text" className="mono" value={showEscapes(separator)} onChange={(e) => updateTemplate({ exampleSeparator: parseEscapes(e.target.value) })} />
          </label>
        ) : null}
        <label className="inline-field">
          <span>Model hint</span>
          <input type="text" value={modelHint} placeholder="which model it was written for" onChange={(e) => updateTemplate({ modelHint: e.target.value })} />
        </label>
        <label className="inline-field inline-field-tall">
          <span>Notes</span>
          <textarea rows={2} value={notes} onChange={(e) => updateTemplate({ notes: e.target.value })} />
        </label>
      </div>
    </details>
  );
}
