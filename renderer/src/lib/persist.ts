// The little the renderer remembers between sessions (the last template opened), in localStorage.
// Anything may fail here (storage disabled, a file:// origin with no storage): then nothing is kept.
const LAST_TEMPLATE = 'shotglass.lastTemplateId';

function storage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}

export function lastTemplateId(): string | null {
  try {
    return storage()?.getItem(LAST_TEMPLATE) ?? null;
  } catch {
    return null;
  }
}

export function rememberTemplateId(id: string | null): void {
  try {
    if (id) storage()?.setItem(LAST_TEMPLATE, id);
    else storage()?.removeItem(LAST_TEMPLATE);
  } catch {
    // not kept; nothing else depends on it
  }
}
