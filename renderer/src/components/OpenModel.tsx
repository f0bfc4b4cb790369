// Register a .gguf by path. The native dialog exists only in Electron; the path field always
// works (and is the only way in browser mode, where pickModelFile answers supported: false).
import { useRef, useState } from 'react';
import { useActions, useAppStore } from '../store';

export function OpenModel() {
  const [path, setPath] = useState('');
  const inputRef = useRef<HTMLInputElement>(null);
  const opening = useAppStore((s) => s.models.opening);
  const canBrowse = useAppStore((s) => s.app.info?.mode === 'electron' && s.models.fileDialog !== 'unsupported');
  const { openModelPath, pickModelFile, clearOpenError } = useActions();

  const open = () => void openModelPath(path);
  const browse = async () => {
    await pickModelFile();
    // Browser mode learned just now: send the user to the path field instead.
    if (inputRef.current && !inputRef.current.value) inputRef.current.focus();
  };

  return (
    <form
      className="open-model"
      onSubmit={(e) => {
        e.preventDefault();
        open();
      }}
    >
      {canBrowse && (
        <button type="button" className="btn" onClick={() => void browse()} disabled={opening}>
          Open .gguf…
        </button>
      )}
      <input
        ref={inputRef}
        data-testid="open-path-input"
        className="path-input"
        type="text"
        spellCheck={false}
        autoComplete="off"
        placeholder="/path/to/model.gguf"
        aria-label="Path of a .gguf model file"
        value={path}
        onChange={(e) => {
          setPath(e.target.value);
          clearOpenError();
        }}
      />
      <button type="submit" data-testid="open-path-button" className="btn" disabled={opening}>
        {opening ? 'Opening…' : 'Open'}
      </button>
    </form>
  );
}
