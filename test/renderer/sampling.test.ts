import { describe, expect, it } from 'vitest';
import {
  DEFAULT_SAMPLING,
  FIELD_SPECS,
  maxTokensToSlider,
  parseField,
  roundToStep,
  sanitizeSampling,
  sliderToMaxTokens,
  UI_LIMITS,
} from '../../renderer/src/store/sampling';
import { SamplingSchema } from '../../core/api/contract';

describe('sampling fields', () => {
  it('parses, rounds and clamps what the user types', () => {
    expect(parseField('0.7', FIELD_SPECS.temperature)).toEqual({ ok: true, value: 0.7 });
    expect(parseField('5', FIELD_SPECS.temperature)).toMatchObject({ ok: true, value: 2, note: expect.stringContaining('clamped') });
    expect(parseField('-1', FIELD_SPECS.temperature)).toMatchObject({ ok: true, value: 0 });
    expect(parseField('', FIELD_SPECS.temperature)).toEqual({ ok: false, message: 'required' });
    expect(parseField('abc', FIELD_SPECS.maxTokens)).toEqual({ ok: false, message: 'not a number' });
    expect(parseField('12.6', FIELD_SPECS.maxTokens)).toMatchObject({ ok: true, value: 13 });
    expect(parseField('99999', FIELD_SPECS.maxTokens)).toMatchObject({ ok: true, value: 4096 });
    expect(parseField('0', FIELD_SPECS.maxTokens)).toMatchObject({ ok: true, value: 1 });
    expect(parseField('', FIELD_SPECS.seed)).toEqual({ ok: true, value: undefined });
    expect(parseField('1e12', FIELD_SPECS.seed)).toMatchObject({ ok: true, value: 0xffffffff });
  });

  it('sanitizeSampling always satisfies the contract', () => {
    const wild = { ...DEFAULT_SAMPLING, temperature: NaN, maxTokens: 1e9, topK: -3.5, topP: 7, seed: -4 };
    const clean = sanitizeSampling(wild);
    expect(SamplingSchema.safeParse(clean).success).toBe(true);
    expect(clean.temperature).toBe(DEFAULT_SAMPLING.temperature);
    expect(clean.maxTokens).toBe(UI_LIMITS.maxTokens.max);
    expect(clean.seed).toBe(0);
    expect('seed' in sanitizeSampling({ ...DEFAULT_SAMPLING, seed: undefined })).toBe(false);
  });

  it('rounds slider steps without float noise', () => {
    expect(roundToStep(0.1 + 0.05, 0.05)).toBe(0.15);
    expect(roundToStep(1.234, 0.05)).toBe(1.25);
  });

  it('maps the log max-tokens slider both ways', () => {
    expect(sliderToMaxTokens(0)).toBe(1);
    expect(sliderToMaxTokens(1000)).toBe(4096);
    for (const value of [1, 16, 256, 1024, 4096]) {
      expect(Math.abs(sliderToMaxTokens(maxTokensToSlider(value)) - value) / value).toBeLessThan(0.05);
    }
    let previous = 0;
    for (let p = 0; p <= 1000; p += 10) {
      const value = sliderToMaxTokens(p);
      expect(value).toBeGreaterThanOrEqual(previous);
      previous = value;
    }
  });
});
