// A reference forward pass of a llama-architecture model, computed the way llama.cpp's CPU backend
// computes it, so that a designed model's every token and probability is known in advance:
// token embedding, RMS norm (sum of squares in double, scale in F32), RoPE (NORM mode, linear
// scaling), attention as flash attention does it (q, K and V in F16, online softmax, the V sum
// kept in F16), SwiGLU feed-forward and the output matrix. Matrix products round their input the
// way ggml's vec_dot types do (F16 weights: the input in F16; Q8_0/Q4_0 weights: the input in
// Q8_0 blocks) and sum in double (ggml sums in F32 in SIMD order: differences are ~1e-7 relative).
// Hand-written because no library reproduces llama.cpp's numerics; pure code, no Node imports.
import { GgmlType } from './format.js';
import { decodeTensor, encodeTensor, fromHalf, toHalf } from './quantize.js';
import type { GgufTensor } from './writer.js';

const fr = Math.fround;
const half = (x: number) => fromHalf(toHalf(x));

export interface ReferenceParams {
  nEmbd: number;
  nHead: number;
  headDim: number;
  nLayer: number;
  eps: number;
  ropeBase: number;
  /** 1 / llama.rope.scaling.factor */
  ropeFreqScale: number;
}

/** A weight matrix as the file stores it, with its rows' nonzero entries (the designed ones are sparse). */
class Matrix {
  readonly cols: number;
  readonly rows: number;
  private readonly idx: Int32Array[];
  private readonly val: Float64Array[];
  constructor(
    readonly values: Float32Array,
    readonly dims: number[],
    readonly type: GgmlType,
  ) {
    this.cols = dims[0]!;
    this.rows = dims[1] ?? 1;
    this.idx = [];
    this.val = [];
    for (let r = 0; r < this.rows; r++) {
      const is: number[] = [];
      const vs: number[] = [];
      for (let c = 0; c < this.cols; c++) {
        const v = values[r * this.cols + c]!;
        if (v !== 0) {
          is.push(c);
          vs.push(v);
        }
      }
      this.idx.push(Int32Array.from(is));
      this.val.push(Float64Array.from(vs));
    }
  }
  /** The input as this type's vec_dot sees it. */
  private input(x: Float32Array): Float32Array {
    if (this.type === GgmlType.F32) return x;
    if (this.type === GgmlType.F16) return x.map(half);
    return decodeTensor(encodeTensor(x, GgmlType.Q8_0, x.length), GgmlType.Q8_0, x.length);
  }
  mul(x: Float32Array, rows?: Iterable<number>): Float32Array {
    const xin = this.input(x);
    const out = new Float32Array(this.rows);
    for (const r of rows ?? this.rowRange()) {
      const is = this.idx[r]!;
      const vs = this.val[r]!;
      let s = 0;
      for (let i = 0; i < is.length; i++) s += vs[i]! * xin[is[i]!]!;
      out[r] = fr(s);
    }
    return out;
  }
  private *rowRange(): Iterable<number> {
    for (let r = 0; r < this.rows; r++) yield r;
  }
}

interface Layer {
  attnNorm: Float32Array;
  q: Matrix;
  k: Matrix;
  v: Matrix;
  o: Matrix;
  ffnNorm: Float32Array;
  gate: Matrix;
  up: Matrix;
  down: Matrix;
  ffnZero: boolean;
}

export class ReferenceModel {
  readonly embd: Matrix;
  readonly output: Matrix;
  readonly outputNorm: Float32Array;
  readonly layers: Layer[];
  constructor(
    readonly params: ReferenceParams,
    tensors: GgufTensor[],
  ) {
    const byName = new Map(tensors.map((t) => [t.name, t]));
    const stored = (name: string) => {
      const t = byName.get(name);
      if (!t) throw new Error(`no tensor ${name}`);
      const count = t.dims.reduce((a, b) => a * b, 1);
      const values = t.type === GgmlType.F32 ? t.values : decodeTensor(encodeTensor(t.values, t.type, t.dims[0]!), t.type, count);
      return new Matrix(values, t.dims, t.type);
    };
    this.embd = stored('token_embd.weight');
    this.output = stored('output.weight');
    this.outputNorm = stored('output_norm.weight').values;
    this.layers = Array.from({ length: params.nLayer }, (_, i) => {
      const down = stored(`blk.${i}.ffn_down.weight`);
      return {
        attnNorm: stored(`blk.${i}.attn_norm.weight`).values,
        q: stored(`blk.${i}.attn_q.weight`),
        k: stored(`blk.${i}.attn_k.weight`),
        v: stored(`blk.${i}.attn_v.weight`),
        o: stored(`blk.${i}.attn_output.weight`),
        ffnNorm: stored(`blk.${i}.ffn_norm.weight`).values,
        gate: stored(`blk.${i}.ffn_gate.weight`),
        up: stored(`blk.${i}.ffn_up.weight`),
        down,
        ffnZero: down.values.every((v) => v === 0),
      };
    });
  }

  session(): ReferenceSession {
    return new ReferenceSession(this);
  }

  /** Logits after each of `ids` (or only after the last). */
  logits(ids: readonly number[]): Float32Array {
    const s = this.session();
    for (const id of ids) s.push(id);
    return s.logits();
  }
}

export function rmsNorm(x: Float32Array, weight: Float32Array, eps: number): Float32Array {
  let sum = 0;
  for (let i = 0; i < x.length; i++) sum += fr(x[i]! * x[i]!);
  const mean = fr(sum / x.length);
  const scale = fr(1 / fr(Math.sqrt(fr(mean + fr(eps)))));
  const out = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = fr(fr(x[i]! * scale) * weight[i]!);
  return out;
}

/** ggml's rope (NORM mode: adjacent pairs), with theta computed as its cache does in F32. */
function rope(x: Float32Array, nHead: number, headDim: number, pos: number, p: ReferenceParams): void {
  const thetaScale = fr(Math.pow(p.ropeBase, -2 / headDim));
  let theta = fr(pos);
  const cs: number[] = [];
  for (let i = 0; i < headDim; i += 2) {
    const t = fr(p.ropeFreqScale * theta);
    cs.push(fr(Math.cos(t)), fr(Math.sin(t)));
    theta = fr(theta * thetaScale);
  }
  for (let h = 0; h < nHead; h++) {
    for (let i = 0; i < headDim; i += 2) {
      const c = cs[i]!;
      const s = cs[i + 1]!;
      const a = h * headDim + i;
      const x0 = x[a]!;
      const x1 = x[a + 1]!;
      x[a] = fr(fr(x0 * c) - fr(x1 * s));
      x[a + 1] = fr(fr(x0 * s) + fr(x1 * c));
    }
  }
}

export class ReferenceSession {
  private readonly keys: Float32Array[][] = [];
  private readonly values: Float32Array[][] = [];
  private last: Float32Array | undefined;
  readonly ids: number[] = [];

  constructor(private readonly model: ReferenceModel) {
    this.keys = model.layers.map(() => []);
    this.values = model.layers.map(() => []);
  }

  /** Feed one token; its hidden state is kept for `logits()`. */
  push(id: number): void {
    const { params } = this.model;
    const { nEmbd, nHead, headDim } = params;
    const pos = this.ids.length;
    this.ids.push(id);
    const x = this.model.embd.values.slice(id * nEmbd, (id + 1) * nEmbd);
    const scale = fr(1 / Math.sqrt(headDim));
    this.model.layers.forEach((layer, l) => {
      const xn = rmsNorm(x, layer.attnNorm, params.eps);
      const q = layer.q.mul(xn);
      const k = layer.k.mul(xn);
      const v = layer.v.mul(xn);
      rope(q, nHead, headDim, pos, params);
      rope(k, nHead, headDim, pos, params);
      this.keys[l]!.push(k.map(half));
      this.values[l]!.push(v.map(half));
      const qh = q.map(half);
      const attn = new Float32Array(nHead * headDim);
      for (let h = 0; h < nHead; h++) this.attendHead(l, h, qh, scale, attn);
      const o = layer.o.mul(attn);
      for (let i = 0; i < nEmbd; i++) x[i] = fr(x[i]! + o[i]!);
      if (!layer.ffnZero) {
        const fn = rmsNorm(x, layer.ffnNorm, params.eps);
        const g = layer.gate.mul(fn);
        const u = layer.up.mul(fn);
        const hidden = g.map((gi, i) => fr(fr(gi / fr(1 + fr(Math.exp(-gi)))) * u[i]!));
        const d = layer.down.mul(hidden);
        for (let i = 0; i < nEmbd; i++) x[i] = fr(x[i]! + d[i]!);
      }
    });
    this.last = x;
  }

  /** Flash attention for one head, as ggml's CPU kernel: online softmax, V accumulated in F16. */
  private attendHead(l: number, h: number, q: Float32Array, scale: number, out: Float32Array): void {
    const { headDim } = this.model.params;
    const off = h * headDim;
    let qZero = true;
    for (let d = 0; d < headDim; d++) if (q[off + d] !== 0) qZero = false;
    const keys = this.keys[l]!;
    const values = this.values[l]!;
    let M = -Infinity;
    let S = 0;
    const acc = new Float64Array(headDim);
    for (let j = 0; j < keys.length; j++) {
      const k = keys[j]!;
      let dot = 0;
      if (!qZero) for (let d = 0; d < headDim; d++) dot += q[off + d]! * k[off + d]!;
      const s = fr(fr(dot) * scale);
      let ms = 1;
      let vs = 1;
      if (s > M) {
        const old = M;
        M = s;
        ms = fr(Math.exp(old - M));
        for (let d = 0; d < headDim; d++) acc[d] = half(fr(acc[d]! * ms));
      } else {
        vs = fr(Math.exp(s - M));
      }
      const v = values[j]!;
      if (vs !== 0) for (let d = 0; d < headDim; d++) acc[d] = half(fr(acc[d]! + fr(v[off + d]! * vs)));
      S = fr(fr(S * ms) + vs);
    }
    const inv = fr(1 / S);
    for (let d = 0; d < headDim; d++) out[off + d] = fr(acc[d]! * inv);
  }

  /** Logits after the last token fed. */
  logits(): Float32Array {
    if (!this.last) throw new Error('no token yet');
    const xn = rmsNorm(this.last, this.model.outputNorm, this.model.params.eps);
    return this.model.output.mul(xn);
  }
}
