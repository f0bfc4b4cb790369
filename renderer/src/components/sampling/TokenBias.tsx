// Token bias: make a token (by its text or id) more or less likely, or forbid it.
import { useState } from 'react';
import type { TokenBiasEntry } from '../../../../core/api/contract';
import { useActions, useAppStore } from '../../store';
import { parseEscapes, showEscapes } from '../../store/sampling';

export function TokenBias() {
  const bias = useAppStore((s) => s.editor.sampling.tokenBias);
  const { updateSampling } = useActions();
  const [token, setToken] = useState('');
  const [amount, setAmount] = useState('5');
  const [never, setNever] = useState(false);

  const parsedToken: string | number | null = token === '' ? null : /^#\d+$/.test(token) ? Number(token.slice(1)) : parseEscapes(token);
  const value = Number(amount);
  const problem =
    parsedToken === null
      ? null
      : bias.some((b) => b.token === parsedToken)
        ? 'already biased'
        : !never && (!Number.isFinite(value) || value < -100 || value > 100)
          ? 'a bias from -100 to 100'
          : bias.length >= 256
            ? 'at most 256'
            : null;

  const label = (b: TokenBiasEntry) => (typeof b.token === 'number' ? `#${b.token}` : showEscapes(b.token));
  return (
    <div className="sampler">
      {bias.length ? (
        <ul className="bias-list">
          {bias.map((b) => (
            <li key={String(b.token)} data-testid="bias-row">
              <code>{label(b)}</code>
              <span className={b.bias === 'never' || b.bias < 0 ? 'bias-down' : 'bias-up'}>{b.bias === 'never' ? 'never' : b.bias > 0 ? `+${b.bias}` : b.bias}</span>
              <button type="button" className="btn-icon btn-icon-small" aria-label={`Remove bias on ${label(b)}`} onClick={() => updateSampling({ tokenBias: bias.filter((x) => x !== b) })}>
                ×
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      <form
        className="sampler-row"
        onSubmit={(e) => {
          e.preventDefault();
          if (parsedToken === null || problem) return;
          updateSampling({ tokenBias: [...bias, { token: parsedToken, bias: never ? 'never' : value }] });
          setToken('');
        }}
      >
        <input type="text" className="mono grow" data-testid="bias-token" placeholder="text, or #id" aria-label="Token text or #id" value={token} onChange={(e) => setToken(e.target.value)} />
        <input type="number" className="num-input num-input-narrow" data-testid="bias-value" aria-label="Bias" step={1} min={-100} max={100} value={amount} disabled={never} onChange={(e) => setAmount(e.target.value)} />
        <label className="toggle" title="Forbid the token">
          <input type="checkbox" checked={never} onChange={(e) => setNever(e.target.checked)} />
          never
        </label>
        <button type="submit" className="btn btn-small" data-testid="bias-add" disabled={parsedToken === null || Boolean(problem)}>
          Add
        </button>
      </form>
      <p className="sampler-help">{problem ?? 'Positive makes a token more likely, negative less; "never" forbids it. A text biases every token it is made of.'}</p>
    </div>
  );
}
