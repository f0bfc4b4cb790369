// A value for every variable the prompt uses (given here, else the declared default), the
// declarations themselves (description, default), and the ones used but not declared.
import { memo, useMemo, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { isBuiltinVariable, isValidVariableName, type Variable } from '../../../../core/prompt/index';
import { useActions, useAppStore } from '../../store';

export function VariablesPanel() {
  const declared = useAppStore((s) => s.template.draft.variables);
  const used = useAppStore(useShallow((s) => s.preview.usedVariables));
  const names = useMemo(() => {
    const all = [...used];
    for (const v of declared) if (!all.includes(v.name)) all.push(v.name);
    return all;
  }, [declared, used]);

  return (
    <section className="section" aria-label="Variables">
      <header className="section-header">
        <h3 className="section-title">Variables</h3>
        <span className="section-meta">{names.length}</span>
      </header>
      {names.length === 0 ? <p className="section-empty">No variables. Write {'{{name}}'} in a field to add one.</p> : null}
      <div className="variables">
        {names.map((name) => (
          <VariableRow key={name} name={name} declaration={declared.find((v) => v.name === name)} used={used.includes(name)} />
        ))}
      </div>
      <AddVariable taken={names} />
    </section>
  );
}

const VariableRow = memo(function VariableRow({ name, declaration, used }: { name: string; declaration: Variable | undefined; used: boolean }) {
  const given = useAppStore((s) => (Object.hasOwn(s.template.values, name) ? s.template.values[name] : undefined));
  const { setVariableValue, declareVariable, updateVariable, removeVariable } = useActions();
  const [open, setOpen] = useState(false);
  const fallback = declaration?.default;
  const value = given ?? fallback ?? '';
  const missing = used && given === undefined && fallback === undefined;

  return (
    <div className={`variable${missing ? ' missing' : ''}`} data-testid="variable-row" data-name={name}>
      <div className="variable-head">
        <code className="variable-name">{`{{${name}}}`}</code>
        {!declaration ? (
          <>
            <span className="badge badge-warn" title="Used in the prompt but not declared: it needs a value at every run">
              not declared
            </span>
            <button type="button" className="btn btn-small" data-testid="variable-declare" onClick={() => declareVariable(name)}>
              Declare
            </button>
          </>
        ) : null}
        {declaration && !used ? <span className="badge" title="Declared, but no shown field uses it">unused</span> : null}
        {declaration?.description ? <span className="variable-description">{declaration.description}</span> : null}
        <span className="toolbar-spacer" />
        {given !== undefined && fallback !== undefined && given !== fallback ? (
          <button type="button" className="btn-icon btn-icon-small" data-testid="variable-reset" title="Back to the default value" aria-label="Reset to default" onClick={() => setVariableValue(name, undefined)}>
            ↺
          </button>
        ) : null}
        {declaration ? (
          <button type="button" className="btn-icon btn-icon-small" title="Description and default" aria-label="Edit declaration" aria-expanded={open} onClick={() => setOpen(!open)}>
            ⋯
          </button>
        ) : null}
      </div>
      <textarea
        className="variable-value"
        data-testid="variable-value"
        aria-label={`Value of ${name}`}
        rows={1}
        spellCheck={false}
        value={value}
        placeholder={missing ? 'needs a value' : ''}
        onChange={(e) => setVariableValue(name, e.target.value)}
      />
      {declaration && open ? (
        <div className="variable-declaration">
          <label className="inline-field">
            <span>Description</span>
            <input type="text" data-testid="variable-description" value={declaration.description} onChange={(e) => updateVariable(name, { description: e.target.value })} />
          </label>
          <label className="inline-field">
            <span>Default</span>
            <input
              type="text"
              data-testid="variable-default"
              value={declaration.default ?? ''}
              placeholder="none: a value is required"
              onChange={(e) => updateVariable(name, { default: e.target.value === '' ? undefined : e.target.value })}
            />
          </label>
          <div className="inline-actions">
            {given !== undefined ? (
              <button type="button" className="btn btn-small" onClick={() => updateVariable(name, { default: given })}>
                Use the value as default
              </button>
            ) : null}
            <button type="button" className="btn btn-small btn-subtle" data-testid="variable-remove" onClick={() => removeVariable(name)}>
              Remove declaration
            </button>
          </div>
        </div>
      ) : null}
    </div>
  );
});

function AddVariable({ taken }: { taken: string[] }) {
  const [name, setName] = useState('');
  const { declareVariable } = useActions();
  const trimmed = name.trim();
  const problem =
    trimmed === ''
      ? null
      : !isValidVariableName(trimmed)
        ? 'letters, digits, _, - and . only; starts with a letter or _'
        : isBuiltinVariable(trimmed)
          ? 'reserved for the examples'
          : taken.includes(trimmed)
            ? 'already there'
            : null;
  return (
    <form
      className="add-variable"
      onSubmit={(e) => {
        e.preventDefault();
        if (!trimmed || problem) return;
        declareVariable(trimmed);
        setName('');
      }}
    >
      <input
        type="text"
        data-testid="add-variable-input"
        placeholder="new variable name"
        aria-label="New variable name"
        spellCheck={false}
        value={name}
        className={problem ? 'invalid' : undefined}
        onChange={(e) => setName(e.target.value)}
      />
      <button type="submit" className="btn btn-small" disabled={!trimmed || Boolean(problem)}>
        Declare
      </button>
      {problem ? <span className="field-hint field-hint-error">{problem}</span> : null}
    </form>
  );
}
