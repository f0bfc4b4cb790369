// Copy what a run was and made: the prompt, the output, the reproduction record, and "Get code"
// (the `shotglass` command that repeats it, seed included).
import { useState } from 'react';
import { cliCommand, NO_HTTP_SNIPPET } from '../../lib/get-code';
import { useAppStore } from '../../store';

async function copy(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false; // no clipboard permission: the Get code panel still shows the text to select
  }
}

export function RunCopy() {
  const run = useAppStore((s) => s.run);
  const [copied, setCopied] = useState<string | null>(null);
  const [code, setCode] = useState(false);
  if (run.status === 'idle' || run.status === 'running') return null;
  const command = run.record && run.input ? cliCommand(run.record.model.path, run.input, run.record.sampling) : null;
  const item = (label: string, testId: string, text: string | null) =>
    text === null ? null : (
      <button
        type="button"
        className="link-button"
        data-testid={testId}
        onClick={() => void copy(text).then((ok) => setCopied(ok ? label : `${label}: the clipboard is not available`))}
      >
        {label}
      </button>
    );
  return (
    <div className="run-copy" data-testid="run-copy">
      <span className="run-copy-label">Copy</span>
      {item('prompt', 'copy-prompt', run.prompt || null)}
      {item('output', 'copy-output', run.text)}
      {item('run record', 'copy-record', run.record ? JSON.stringify(run.record, null, 2) : null)}
      {command ? (
        <button type="button" className="link-button" data-testid="get-code" aria-expanded={code} onClick={() => setCode(!code)}>
          Get code
        </button>
      ) : null}
      {copied ? <span className="run-copy-done" role="status">copied {copied}</span> : null}
      {code && command ? (
        <div className="get-code">
          <pre className="run-block" data-testid="get-code-text">{`${command}\n\n${NO_HTTP_SNIPPET}`}</pre>
          {item('command', 'copy-command', command)}
        </div>
      ) : null}
    </div>
  );
}
