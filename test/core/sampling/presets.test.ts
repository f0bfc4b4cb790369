// Sampling presets and the resolution of a template's sampling into a run's settings.
import { describe, expect, it } from 'vitest';
import { DEFAULT_SAMPLING, SamplingSchema } from '../../../core/api/contract';
import { BUILTIN_PRESETS, findPreset, matchingPreset, parseUserPresets, resolveSampling } from '../../../core/prompt';

describe('built-in presets', () => {
  it('are Deterministic (temperature 0), Balanced and Creative, all valid sampling', () => {
    expect(BUILTIN_PRESETS.map((p) => p.name)).toEqual(['Deterministic', 'Balanced', 'Creative']);
    expect(BUILTIN_PRESETS[0]!.sampling.temperature).toBe(0);
    for (const p of BUILTIN_PRESETS) expect(SamplingSchema.safeParse({ ...DEFAULT_SAMPLING, ...p.sampling }).success).toBe(true);
  });

  it('are found by name, ignoring case as a fallback', () => {
    expect(findPreset('Balanced')?.name).toBe('Balanced');
    expect(findPreset('creative')?.name).toBe('Creative');
    expect(findPreset('Nope')).toBeUndefined();
  });
});

describe('user presets', () => {
  it('validates them with the contract limits', () => {
    const r = parseUserPresets([{ name: 'Cold', sampling: { temperature: 0.2, topK: 10 } }]);
    expect(r).toEqual({ ok: true, presets: [{ name: 'Cold', description: '', sampling: { temperature: 0.2, topK: 10 } }] });
    expect(parseUserPresets([{ name: 'Hot', sampling: { temperature: 3 } }])).toEqual({
      ok: false,
      error: 'presets.0.sampling.temperature must be at most 2',
    });
    expect(parseUserPresets([{ name: 'X', sampling: { warmth: 1 } }])).toEqual({
      ok: false,
      error: 'presets.0.sampling has an unknown field "warmth"',
    });
    expect(parseUserPresets([{ name: '', sampling: {} }])).toEqual({ ok: false, error: 'presets.0.name must not be empty' });
    expect(parseUserPresets('x')).toEqual({ ok: false, error: 'presets must be a list' });
  });

  it('refuses duplicate names and the names of built-ins, in any case', () => {
    expect(parseUserPresets([{ name: 'balanced', sampling: {} }])).toEqual({
      ok: false,
      error: 'presets.0.name "balanced" is the name of a built-in preset',
    });
    expect(parseUserPresets([{ name: 'Mine', sampling: {} }, { name: 'MINE ', sampling: {} }])).toEqual({
      ok: false,
      error: 'presets.1.name "MINE" is already used by presets.0',
    });
  });
});

describe('resolveSampling', () => {
  it('layers defaults <- preset <- template <- run overrides', () => {
    expect(resolveSampling(undefined)).toEqual({ ok: true, sampling: DEFAULT_SAMPLING, preset: null });
    const r = resolveSampling({ preset: 'Balanced', temperature: 0.3, stop: ['\n'] }, { overrides: { seed: 7, maxTokens: 9 } });
    expect(r).toEqual({
      ok: true,
      preset: 'Balanced',
      sampling: { ...DEFAULT_SAMPLING, topK: 40, topP: 0.95, minP: 0.05, temperature: 0.3, stop: ['\n'], seed: 7, maxTokens: 9 },
    });
  });

  it('uses user presets, and says when a preset is unknown', () => {
    const user = [{ name: 'Cold', description: '', sampling: { temperature: 0.1 } }];
    const r = resolveSampling({ preset: 'Cold' }, { userPresets: user });
    expect(r.ok && r.sampling.temperature).toBe(0.1);
    expect(resolveSampling({ preset: 'Cold' })).toEqual({ ok: false, error: 'sampling.preset "Cold" is not a built-in or saved preset' });
  });

  it('applies the checks between fields of the full schema', () => {
    expect(resolveSampling({ repeatPenalty: 1.2, penaltyLastN: 0 })).toEqual({
      ok: false,
      error: 'sampling.penaltyLastN is 0, so the repeat/presence/frequency penalties would look at no tokens; set a window or remove the penalties',
    });
  });

  it('matchingPreset recognises a preset, seed aside', () => {
    const r = resolveSampling({ preset: 'Creative' }, { overrides: { seed: 3 } });
    expect(r.ok && matchingPreset(r.sampling)).toBe('Creative');
    const changed = resolveSampling({ preset: 'Creative', temperature: 0.9 });
    expect(changed.ok && matchingPreset(changed.sampling)).toBeNull();
  });
});
