// The models the service knows, by id: each one's summary (what the UI shows), kept current with
// a `model` event on every change. Where a model runs is its provider's business.
import { createHash } from 'node:crypto';
import { basename } from 'node:path';
import { ApiError, type ModelSummary } from '../../core/api/contract.js';

export function modelIdFor(path: string): string {
  return 'm-' + createHash('sha256').update(path).digest('hex').slice(0, 16);
}

export class ModelRegistry {
  private readonly models = new Map<string, ModelSummary>();

  constructor(private readonly onChange: (model: ModelSummary) => void) {}

  /** The model at this path (registered on first sight, by a stable id). */
  register(path: string, isDemo = false): ModelSummary {
    const id = modelIdFor(path);
    let summary = this.models.get(id);
    if (!summary) {
      summary = { id, path, fileName: basename(path), sizeBytes: 0, state: 'unloaded', isDemo, adapters: [] };
      this.models.set(id, summary);
    }
    return summary;
  }

  get(id: string): ModelSummary {
    const summary = this.models.get(id);
    if (!summary) throw new ApiError('not-found', 'no such model; open its file first');
    return summary;
  }

  /** The model, or undefined when there is none by this id (for events that may outlive one). */
  find(id: string): ModelSummary | undefined {
    return this.models.get(id);
  }

  list(): ModelSummary[] {
    return [...this.models.values()];
  }

  update(id: string, patch: Partial<ModelSummary>): ModelSummary {
    const summary = { ...this.get(id), ...patch };
    this.models.set(id, summary);
    this.onChange(summary);
    return summary;
  }
}
