// SentencePiece-style tokenization exactly as llama.cpp's `llm_tokenizer_spm` does it:
// start from UTF-8 characters, repeatedly merge the adjacent pair whose concatenation is the
// highest-scoring vocabulary entry (ties: leftmost first), then fall back to byte tokens.
// The demo model's bigram table is counted over this tokenization, so it must match llama.cpp's;
// test/models verifies that against node-llama-cpp on the whole corpus.

export interface SpmVocab {
  tokens: readonly string[];
  scores: readonly number[];
}

interface Bigram {
  left: number;
  right: number;
  score: number;
  size: number;
}

export class SpmTokenizer {
  private readonly ids = new Map<string, number>();

  constructor(private readonly vocab: SpmVocab) {
    vocab.tokens.forEach((t, i) => {
      if (!this.ids.has(t)) this.ids.set(t, i);
    });
  }

  idOf(text: string): number | undefined {
    return this.ids.get(text);
  }

  /** Tokenize raw text the way llama.cpp does for an SPM vocab with add_space_prefix. */
  tokenize(text: string, addSpacePrefix = true): number[] {
    const escaped = (addSpacePrefix ? ' ' + text : text).replaceAll(' ', '\u2581');
    return this.tokenizeEscaped(escaped);
  }

  private tokenizeEscaped(text: string): number[] {
    const chars = Array.from(text);
    const sym = chars.map((c, i) => ({ text: c, prev: i - 1, next: i + 1 < chars.length ? i + 1 : -1, live: true }));
    const queue: Bigram[] = [];
    const better = (a: Bigram, b: Bigram) => a.score > b.score || (a.score === b.score && a.left < b.left);
    const push = (b: Bigram) => {
      queue.push(b);
      let i = queue.length - 1;
      while (i > 0) {
        const p = (i - 1) >> 1;
        if (!better(queue[i]!, queue[p]!)) break;
        [queue[i], queue[p]] = [queue[p]!, queue[i]!];
        i = p;
      }
    };
    const pop = (): Bigram => {
      const top = queue[0]!;
      const last = queue.pop()!;
      if (queue.length) {
        queue[0] = last;
        let i = 0;
        for (;;) {
          const l = 2 * i + 1;
          const r = l + 1;
          let m = i;
          if (l < queue.length && better(queue[l]!, queue[m]!)) m = l;
          if (r < queue.length && better(queue[r]!, queue[m]!)) m = r;
          if (m === i) break;
          [queue[i], queue[m]] = [queue[m]!, queue[i]!];
          i = m;
        }
      }
      return top;
    };
    const tryAdd = (left: number, right: number) => {
      if (left < 0 || right < 0) return;
      const merged = sym[left]!.text + sym[right]!.text;
      const id = this.ids.get(merged);
      if (id === undefined) return;
      push({ left, right, score: this.vocab.scores[id]!, size: merged.length });
    };
    for (let i = 1; i < sym.length; i++) tryAdd(i - 1, i);
    while (queue.length) {
      const b = pop();
      const l = sym[b.left]!;
      const r = sym[b.right]!;
      if (!l.live || !r.live || l.text.length + r.text.length !== b.size || l.next !== b.right) continue;
      l.text += r.text;
      r.live = false;
      l.next = r.next;
      if (r.next >= 0) sym[r.next]!.prev = b.left;
      tryAdd(l.prev, b.left);
      tryAdd(b.left, l.next);
    }
    const out: number[] = [];
    for (let i = sym.length ? 0 : -1; i !== -1; i = sym[i]!.next) {
      const piece = sym[i]!.text;
      const id = this.ids.get(piece);
      if (id !== undefined) {
        out.push(id);
        continue;
      }
      for (const byte of new TextEncoder().encode(piece)) {
        const byteId = this.ids.get(byteToken(byte));
        if (byteId === undefined) throw new Error(`vocabulary has no byte token for 0x${byte.toString(16)}`);
        out.push(byteId);
      }
    }
    return out;
  }
}

export function byteToken(byte: number): string {
  return `<0x${byte.toString(16).toUpperCase().padStart(2, '0')}>`;
}
