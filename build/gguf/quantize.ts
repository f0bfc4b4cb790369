// Reference quantizers matching ggml's `quantize_row_*_ref`, so files we write
// are the files llama.cpp's own tools would write for the same weights.
import { BLOCK, GgmlType } from './format.js';

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** IEEE 754 binary16 with round-to-nearest-even (as ggml's GGML_FP32_TO_FP16). */
export function toHalf(value: number): number {
  f32[0] = value;
  const x = u32[0]!;
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  let mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0); // inf / nan
  let e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00; // overflow to inf
  if (e <= 0) {
    if (e < -10) return sign; // underflow to zero
    mant |= 0x800000;
    const shift = 14 - e;
    const half = mant >>> shift;
    const rest = mant & ((1 << shift) - 1);
    const mid = 1 << (shift - 1);
    return sign | (rest > mid || (rest === mid && (half & 1)) ? half + 1 : half);
  }
  const half = (e << 10) | (mant >>> 13);
  const rest = mant & 0x1fff;
  // Rounding may carry into the exponent, which is still the right answer.
  return sign | (rest > 0x1000 || (rest === 0x1000 && (half & 1)) ? half + 1 : half);
}

export function fromHalf(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >>> 10) & 0x1f;
  const mant = h & 0x3ff;
  if (exp === 0) return sign * mant * 2 ** -24;
  if (exp === 0x1f) return mant ? NaN : sign * Infinity;
  return sign * (1 + mant / 1024) * 2 ** (exp - 15);
}

/** Bytes one row of `n` elements takes in `type`. */
export function rowBytes(type: GgmlType, n: number): number {
  const block = BLOCK[type];
  if (n % block.elements !== 0) {
    throw new Error(`a row of ${n} elements cannot be stored as ${GgmlType[type]} (blocks of ${block.elements})`);
  }
  return (n / block.elements) * block.bytes;
}

/** Encode a tensor (row length `ne0`) into `type`. */
export function encodeTensor(values: Float32Array, type: GgmlType, ne0: number): Uint8Array {
  const out = new Uint8Array(rowBytes(type, ne0) * (values.length / ne0));
  encodeInto(values, type, ne0, out, 0);
  return out;
}

/**
 * Encode whole rows of `values` (row length `ne0`) into `out` at `offset`; returns the bytes written.
 * The streaming writer quantizes row blocks into one reused buffer with this, so it must be fast:
 * no DataView, no closures in the per-value loops.
 */
export function encodeInto(values: Float32Array, type: GgmlType, ne0: number, out: Uint8Array, offset: number): number {
  const bytes = rowBytes(type, ne0) * (values.length / ne0);
  if (offset + bytes > out.length) throw new Error(`encodeInto: ${bytes} bytes do not fit at ${offset} in ${out.length}`);
  const n = values.length;
  switch (type) {
    case GgmlType.F32: {
      const view = new DataView(out.buffer, out.byteOffset + offset, bytes);
      for (let i = 0; i < n; i++) view.setFloat32(i * 4, values[i]!, true);
      break;
    }
    case GgmlType.F16: {
      for (let i = 0, o = offset; i < n; i++, o += 2) {
        const h = toHalf(values[i]!);
        out[o] = h & 0xff;
        out[o + 1] = h >>> 8;
      }
      break;
    }
    case GgmlType.Q8_0:
      for (let b = 0, o = offset; b < n; b += 32, o += 34) {
        let amax = 0;
        for (let j = 0; j < 32; j++) {
          const a = Math.abs(values[b + j]!);
          if (a > amax) amax = a;
        }
        const d = amax / 127;
        const id = d ? 1 / d : 0;
        const h = toHalf(d);
        out[o] = h & 0xff;
        out[o + 1] = h >>> 8;
        for (let j = 0; j < 32; j++) out[o + 2 + j] = Math.round(Math.fround(values[b + j]! * id)) & 0xff;
      }
      break;
    case GgmlType.Q4_0:
      for (let b = 0, o = offset; b < n; b += 32, o += 18) {
        let amax = 0;
        let max = 0;
        for (let j = 0; j < 32; j++) {
          const v = values[b + j]!;
          const a = Math.abs(v);
          if (amax < a) {
            amax = a;
            max = v;
          }
        }
        const d = max / -8;
        const id = d ? 1 / d : 0;
        const h = toHalf(d);
        out[o] = h & 0xff;
        out[o + 1] = h >>> 8;
        for (let j = 0; j < 16; j++) {
          const lo = Math.min(15, Math.trunc(Math.fround(values[b + j]! * id) + 8.5));
          const hi = Math.min(15, Math.trunc(Math.fround(values[b + 16 + j]! * id) + 8.5));
          out[o + 2 + j] = lo | (hi << 4);
        }
      }
      break;
  }
  return bytes;
}

/** Decode a tensor back to floats (used by tests to read what a file holds). */
export function decodeTensor(bytes: Uint8Array, type: GgmlType, count: number): Float32Array {
  const out = new Float32Array(count);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  switch (type) {
    case GgmlType.F32:
      for (let i = 0; i < count; i++) out[i] = view.getFloat32(i * 4, true);
      break;
    case GgmlType.F16:
      for (let i = 0; i < count; i++) out[i] = fromHalf(view.getUint16(i * 2, true));
      break;
    case GgmlType.Q8_0:
      for (let b = 0; b < count / 32; b++) {
        const d = fromHalf(view.getUint16(b * 34, true));
        for (let j = 0; j < 32; j++) out[b * 32 + j] = view.getInt8(b * 34 + 2 + j) * d;
      }
      break;
    case GgmlType.Q4_0:
      for (let b = 0; b < count / 32; b++) {
        const d = fromHalf(view.getUint16(b * 18, true));
        for (let j = 0; j < 16; j++) {
          const q = bytes[b * 18 + 2 + j]!;
          out[b * 32 + j] = ((q & 0x0f) - 8) * d;
          out[b * 32 + 16 + j] = ((q >> 4) - 8) * d;
        }
      }
      break;
  }
  return out;
}
