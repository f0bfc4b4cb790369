// A GGUF v3 writer: metadata key/values with explicit types, then tensor infos, then aligned data.
import { GGUF_DEFAULT_ALIGNMENT, GGUF_MAGIC, GGUF_VERSION, GgmlType, GgufValueType } from './format.js';
import { encodeTensor } from './quantize.js';

export type GgufScalarType = Exclude<GgufValueType, GgufValueType.ARRAY>;

export type GgufValue =
  | { type: GgufScalarType; value: number | bigint | boolean | string }
  | { type: GgufValueType.ARRAY; itemType: GgufScalarType; value: ReadonlyArray<number | bigint | boolean | string> };

export interface GgufTensor {
  name: string;
  /** ggml order: dims[0] is the contiguous (row) dimension. */
  dims: number[];
  type: GgmlType;
  /** Row-major values, dims[0] contiguous; encoded into `type` on write. */
  values: Float32Array;
  /** For deliberately broken fixtures: write this offset instead of the real one. */
  offsetOverride?: bigint;
}

export interface GgufFile {
  metadata: Array<[string, GgufValue]>;
  tensors: GgufTensor[];
  alignment?: number;
}

export const u32 = (value: number): GgufValue => ({ type: GgufValueType.UINT32, value });
export const i32 = (value: number): GgufValue => ({ type: GgufValueType.INT32, value });
export const f32v = (value: number): GgufValue => ({ type: GgufValueType.FLOAT32, value });
export const bool = (value: boolean): GgufValue => ({ type: GgufValueType.BOOL, value });
export const str = (value: string): GgufValue => ({ type: GgufValueType.STRING, value });
export const arr = (itemType: GgufScalarType, value: ReadonlyArray<number | string | boolean>): GgufValue => ({
  type: GgufValueType.ARRAY,
  itemType,
  value,
});

class ByteSink {
  private chunks: Uint8Array[] = [];
  length = 0;
  push(bytes: Uint8Array): void {
    this.chunks.push(bytes);
    this.length += bytes.length;
  }
  scalar(bytes: number, write: (view: DataView) => void): void {
    const buf = new Uint8Array(bytes);
    write(new DataView(buf.buffer));
    this.push(buf);
  }
  u32(v: number): void {
    this.scalar(4, (d) => d.setUint32(0, v, true));
  }
  u64(v: bigint | number): void {
    this.scalar(8, (d) => d.setBigUint64(0, BigInt(v), true));
  }
  string(s: string): void {
    const bytes = new TextEncoder().encode(s);
    this.u64(bytes.length);
    this.push(bytes);
  }
  pad(alignment: number): void {
    const rest = this.length % alignment;
    if (rest) this.push(new Uint8Array(alignment - rest));
  }
  concat(): Uint8Array {
    const out = new Uint8Array(this.length);
    let at = 0;
    for (const c of this.chunks) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  }
}

function writeScalar(sink: ByteSink, type: GgufScalarType, value: number | bigint | boolean | string): void {
  switch (type) {
    case GgufValueType.UINT8:
      return sink.scalar(1, (d) => d.setUint8(0, Number(value)));
    case GgufValueType.INT8:
      return sink.scalar(1, (d) => d.setInt8(0, Number(value)));
    case GgufValueType.UINT16:
      return sink.scalar(2, (d) => d.setUint16(0, Number(value), true));
    case GgufValueType.INT16:
      return sink.scalar(2, (d) => d.setInt16(0, Number(value), true));
    case GgufValueType.UINT32:
      return sink.scalar(4, (d) => d.setUint32(0, Number(value), true));
    case GgufValueType.INT32:
      return sink.scalar(4, (d) => d.setInt32(0, Number(value), true));
    case GgufValueType.FLOAT32:
      return sink.scalar(4, (d) => d.setFloat32(0, Number(value), true));
    case GgufValueType.BOOL:
      return sink.scalar(1, (d) => d.setUint8(0, value ? 1 : 0));
    case GgufValueType.STRING:
      return sink.string(String(value));
    case GgufValueType.UINT64:
      return sink.scalar(8, (d) => d.setBigUint64(0, BigInt(value), true));
    case GgufValueType.INT64:
      return sink.scalar(8, (d) => d.setBigInt64(0, BigInt(value), true));
    case GgufValueType.FLOAT64:
      return sink.scalar(8, (d) => d.setFloat64(0, Number(value), true));
  }
}

export function writeGguf(file: GgufFile): Uint8Array {
  const alignment = file.alignment ?? GGUF_DEFAULT_ALIGNMENT;
  const sink = new ByteSink();
  sink.u32(GGUF_MAGIC);
  sink.u32(GGUF_VERSION);
  sink.u64(file.tensors.length);
  sink.u64(file.metadata.length);
  for (const [key, v] of file.metadata) {
    sink.string(key);
    sink.u32(v.type);
    if (v.type === GgufValueType.ARRAY) {
      sink.u32(v.itemType);
      sink.u64(v.value.length);
      for (const item of v.value) writeScalar(sink, v.itemType, item);
    } else {
      writeScalar(sink, v.type, v.value);
    }
  }

  const encoded = file.tensors.map((t) => {
    const count = t.dims.reduce((a, b) => a * b, 1);
    if (count !== t.values.length) {
      throw new Error(`tensor ${t.name}: dims ${t.dims.join('x')} hold ${count} values, got ${t.values.length}`);
    }
    return encodeTensor(t.values, t.type, t.dims[0]!);
  });
  let offset = 0;
  file.tensors.forEach((t, i) => {
    sink.string(t.name);
    sink.u32(t.dims.length);
    for (const d of t.dims) sink.u64(d);
    sink.u32(t.type);
    sink.u64(t.offsetOverride ?? BigInt(offset));
    offset += encoded[i]!.length;
    offset = Math.ceil(offset / alignment) * alignment;
  });
  sink.pad(alignment);
  for (const bytes of encoded) {
    sink.push(bytes);
    sink.pad(alignment);
  }
  return sink.concat();
}
