// Bounded numbers for every schema of the contract. Messages name the rule in plain words;
// parseInput prefixes the field ("sampling.temperature must be at most 2").
import { z } from 'zod';

export const boundedNumber = (min: number, max: number) =>
  z
    .number({ error: 'must be a number' })
    .min(min, `must be at least ${min}`)
    .max(max, `must be at most ${max}`);

export const wholeNumber = (min: number, max: number) =>
  z
    .int({ error: 'must be a whole number' })
    .min(min, `must be at least ${min}`)
    .max(max, `must be at most ${max}`);
