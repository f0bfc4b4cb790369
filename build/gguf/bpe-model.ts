// A GPT-2-style BPE fixture: byte-level vocabulary, ranked merges, `<|endoftext|>` as BOS/EOS.
// Its design is a fixed chain: from any context it continues " Hello world from Shotglass."
// and then ends the text.
import { TokenType } from './format.js';
import type { ModelDesign } from './llama-model.js';

export const BPE_SENTENCE = [' Hello', ' world', ' from', ' Shotglass', '.'];

/** GPT-2's reversible byte-to-unicode table. */
export function byteToUnicode(): string[] {
  const printable: number[] = [];
  for (let b = 0x21; b <= 0x7e; b++) printable.push(b);
  for (let b = 0xa1; b <= 0xac; b++) printable.push(b);
  for (let b = 0xae; b <= 0xff; b++) printable.push(b);
  const table: string[] = new Array(256);
  let extra = 0;
  for (let b = 0; b < 256; b++) {
    table[b] = String.fromCodePoint(printable.includes(b) ? b : 256 + extra++);
  }
  return table;
}

export function bpeDesign(): ModelDesign {
  const bytes = byteToUnicode();
  const encode = (s: string) => Array.from(new TextEncoder().encode(s), (b) => bytes[b]!).join('');
  const tokens = [...bytes];
  const merges: string[] = [];
  const words = [...BPE_SENTENCE, 'Hello'].map(encode);
  for (const w of words) {
    const chars = Array.from(w);
    let acc = chars[0]!;
    for (const ch of chars.slice(1)) {
      const merged = acc + ch;
      if (!tokens.includes(merged)) {
        merges.push(`${acc} ${ch}`);
        tokens.push(merged);
      }
      acc = merged;
    }
  }
  const eot = tokens.length;
  tokens.push('<|endoftext|>');
  const types = tokens.map((_, i) => (i === eot ? TokenType.CONTROL : TokenType.NORMAL));

  const chain = BPE_SENTENCE.map((w) => tokens.indexOf(encode(w)));
  const n = tokens.length;
  const stateOf = new Int32Array(n);
  chain.forEach((t, i) => (stateOf[t] = i + 1));
  stateOf[tokens.indexOf(encode('Hello'))] = 1; // "Hello" at the very start continues like " Hello"
  const next = [chain[0]!, ...chain.slice(1), eot];
  const logits = next.map((target) => {
    const row = new Float32Array(n).fill(-100);
    for (const t of chain) row[t] = -4;
    row[eot] = -4;
    row[target] = 0;
    return row;
  });
  return {
    name: 'Shotglass BPE fixture',
    tokenizer: { kind: 'gpt2', pre: 'gpt-2', tokens, types, merges, bos: eot, eos: eot, addBos: false },
    stateOf,
    logits,
    contextLength: 512,
  };
}
