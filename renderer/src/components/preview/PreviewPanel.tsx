// The exact prompt the model will get: rendered by the backend through the model's own chat
// template and tokenizer (special tokens visible), its token count, and a context meter. Before the
// model is loaded (or while the prompt cannot be built) it shows the prompt as assembled here.
import { useState } from 'react';
import { selectSelectedModel, useActions, useAppStore } from '../../store';
import { InlineAlert } from '../InlineAlert';
import { Segmented } from '../Segmented';
import { ContextMeter } from './ContextMeter';
import { ExactText, PartsView, TokenList } from './PromptViews';

type View = 'exact' | 'tokens' | 'parts';

const VIEWS = [
  { value: 'exact', label: 'Exact', title: 'The text the model gets, special tokens marked' },
  { value: 'tokens', label: 'Tokens', title: 'Each token on its own' },
  { value: 'parts', label: 'Parts', title: 'Which part of the template each piece comes from' },
] as const;

export function PreviewPanel() {
  const [view, setView] = useState<View>('exact');
  return (
    <section className="pane preview-pane" aria-label="Preview">
      <header className="pane-header">
        <h2 className="pane-title">Preview</h2>
        <Segmented<View> label="Preview view" value={view} options={VIEWS} onChange={setView} testIdPrefix="preview-view" size="small" />
        <span className="toolbar-spacer" />
        <PreviewCounts />
      </header>
      <PreviewAlerts />
      <div className="preview-scroll">
        <PreviewBody view={view} />
      </div>
      <ContextMeter />
    </section>
  );
}

function PreviewCounts() {
  const tokens = useAppStore((s) => s.preview.rendered?.tokens.length ?? null);
  const busy = useAppStore((s) => s.preview.rendering || s.preview.status === 'pending');
  const chars = useAppStore((s) => (s.preview.rendered ? s.preview.rendered.text.length : null));
  return (
    <span className="counters">
      <span className={`updating${busy ? ' on' : ''}`} data-testid="preview-updating" aria-hidden={!busy}>
        updating
      </span>
      <span className="counter" title="Prompt tokens, as the model's tokenizer counts them">
        <span className="counter-value" data-testid="preview-token-count">
          {tokens ?? '—'}
        </span>
        <span className="counter-unit">tok</span>
      </span>
      {chars !== null ? (
        <span className="counter" title="Characters">
          <span className="counter-value">{chars.toLocaleString()}</span>
          <span className="counter-unit">chars</span>
        </span>
      ) : null}
    </span>
  );
}

function PreviewAlerts() {
  const error = useAppStore((s) => s.preview.error);
  const missing = useAppStore((s) => s.preview.missing);
  const renderError = useAppStore((s) => s.preview.renderError);
  const needsModel = useAppStore((s) => s.preview.needsModel);
  const model = useAppStore(selectSelectedModel);
  const { loadModel } = useActions();
  return (
    <>
      {error ? (
        <InlineAlert testId="preview-error" className="inline-alert-warn">
          {capitalize(error)}
          {missing.length ? ' — type a value under Variables (or give the variable a default).' : ''}
        </InlineAlert>
      ) : null}
      {renderError ? <InlineAlert testId="preview-render-error">{capitalize(renderError)}</InlineAlert> : null}
      {needsModel && model ? (
        <div className="preview-load" data-testid="preview-needs-model">
          {model.state === 'loading' ? (
            <span>Loading {model.fileName}… the exact prompt and its tokens follow.</span>
          ) : model.state === 'error' ? (
            <span>{model.fileName} did not load, so there are no exact tokens; below is the prompt as assembled.</span>
          ) : (
            <>
              <span>Load {model.fileName} to see the exact prompt and count its tokens.</span>
              <button type="button" className="btn btn-small" data-testid="preview-load" onClick={() => void loadModel(model.id)}>
                Load
              </button>
            </>
          )}
        </div>
      ) : null}
    </>
  );
}

function PreviewBody({ view }: { view: View }) {
  const rendered = useAppStore((s) => s.preview.rendered);
  const assembled = useAppStore((s) => s.preview.assembled);
  const input = useAppStore((s) => s.preview.input);
  const status = useAppStore((s) => s.preview.status);

  if (view === 'parts') {
    if (assembled) return <PartsView assembled={assembled} />;
    if (input?.mode === 'completion') return <pre className="preview-text">{input.text}</pre>;
    return <div className="pane-placeholder">{status === 'idle' ? 'Preparing the preview…' : 'Nothing to show.'}</div>;
  }
  if (view === 'tokens') {
    if (rendered) return <TokenList tokens={rendered.tokens} />;
    return <div className="pane-placeholder">Tokens come from the model's tokenizer: load the model to see them.</div>;
  }
  if (rendered) return <ExactText tokens={rendered.tokens} />;
  if (assembled) return <PartsView assembled={assembled} plain />;
  if (input?.mode === 'completion') return <pre className="preview-text">{input.text}</pre>;
  return <div className="pane-placeholder">{status === 'idle' ? 'Preparing the preview…' : 'Nothing to show.'}</div>;
}

const capitalize = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
