// A GGUF v3 writer: metadata key/values with explicit types, then tensor infos, then aligned data.
import { closeSync, openSync, writeSync } from 'node:fs';
import { GGUF_DEFAULT_ALIGNMENT, GGUF_MAGIC, GGUF_VERSION, GgmlType, GgufValueType } from './format.js';
import { encodeInto, encodeTensor, rowBytes } from './quantize.js';

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

interface TensorInfo {
  name: string;
  dims: number[];
  type: GgmlType;
  offset: bigint;
}

/** Header, metadata and tensor infos, padded to the alignment: everything before the tensor data. */
function writeHeader(sink: ByteSink, metadata: Array<[string, GgufValue]>, infos: TensorInfo[], alignment: number): void {
  sink.u32(GGUF_MAGIC);
  sink.u32(GGUF_VERSION);
  sink.u64(infos.length);
  sink.u64(metadata.length);
  for (const [key, v] of metadata) {
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
  for (const t of infos) {
    sink.string(t.name);
    sink.u32(t.dims.length);
    for (const d of t.dims) sink.u64(d);
    sink.u32(t.type);
    sink.u64(t.offset);
  }
  sink.pad(alignment);
}

const alignUp = (n: number, alignment: number) => Math.ceil(n / alignment) * alignment;

export function writeGguf(file: GgufFile): Uint8Array {
  const alignment = file.alignment ?? GGUF_DEFAULT_ALIGNMENT;
  const sink = new ByteSink();
  const encoded = file.tensors.map((t) => {
    const count = t.dims.reduce((a, b) => a * b, 1);
    if (count !== t.values.length) {
      throw new Error(`tensor ${t.name}: dims ${t.dims.join('x')} hold ${count} values, got ${t.values.length}`);
    }
    return encodeTensor(t.values, t.type, t.dims[0]!);
  });
  let offset = 0;
  const infos = file.tensors.map((t, i) => {
    const info = { name: t.name, dims: t.dims, type: t.type, offset: t.offsetOverride ?? BigInt(offset) };
    offset = alignUp(offset + encoded[i]!.length, alignment);
    return info;
  });
  writeHeader(sink, file.metadata, infos, alignment);
  for (const bytes of encoded) {
    sink.push(bytes);
    sink.pad(alignment);
  }
  return sink.concat();
}

/** A tensor whose values are produced row block by row block while the file is written. */
export interface GgufStreamTensor {
  name: string;
  /** ggml order: dims[0] is the contiguous (row) dimension. */
  dims: number[];
  type: GgmlType;
  /** Fill `out` (whole rows) with the values of rows `firstRow ..`; called in row order. */
  fill: (out: Float32Array, firstRow: number) => void;
}

export interface GgufStreamFile {
  metadata: Array<[string, GgufValue]>;
  tensors: GgufStreamTensor[];
  alignment?: number;
}

export interface StreamWriteOptions {
  /** Values generated and quantized per step (rounded to whole rows); memory stays ~5x this in bytes. */
  chunkValues?: number;
  onTensor?: (name: string, index: number, total: number) => void;
}

/**
 * Writes a GGUF file tensor by tensor, quantizing row blocks as they are generated, so memory stays
 * at one chunk however large the model. Same layout as `writeGguf` (which builds the file in memory).
 * Returns the file size in bytes.
 */
export function writeGgufFile(path: string, file: GgufStreamFile, options: StreamWriteOptions = {}): number {
  const alignment = file.alignment ?? GGUF_DEFAULT_ALIGNMENT;
  const chunkValues = options.chunkValues ?? 1 << 20;
  let offset = 0;
  const infos = file.tensors.map((t) => {
    const rows = t.dims.slice(1).reduce((a, b) => a * b, 1);
    const info = { name: t.name, dims: t.dims, type: t.type, offset: BigInt(offset) };
    offset = alignUp(offset + rowBytes(t.type, t.dims[0]!) * rows, alignment);
    return info;
  });
  const header = new ByteSink();
  writeHeader(header, file.metadata, infos, alignment);
  const fd = openSync(path, 'w');
  try {
    let position = 0;
    const put = (bytes: Uint8Array) => {
      let done = 0;
      while (done < bytes.length) done += writeSync(fd, bytes, done, bytes.length - done, position + done);
      position += bytes.length;
    };
    put(header.concat());
    const dataStart = position;
    let values = new Float32Array(0);
    let encoded = new Uint8Array(0);
    file.tensors.forEach((t, index) => {
      options.onTensor?.(t.name, index, file.tensors.length);
      const ne0 = t.dims[0]!;
      const rows = t.dims.slice(1).reduce((a, b) => a * b, 1);
      const rowsPerChunk = Math.max(1, Math.min(rows, Math.floor(chunkValues / ne0)));
      const chunkBytes = rowBytes(t.type, ne0) * rowsPerChunk;
      if (values.length < rowsPerChunk * ne0) values = new Float32Array(rowsPerChunk * ne0);
      if (encoded.length < chunkBytes) encoded = new Uint8Array(chunkBytes);
      for (let row = 0; row < rows; row += rowsPerChunk) {
        const n = Math.min(rowsPerChunk, rows - row);
        const slice = values.subarray(0, n * ne0);
        t.fill(slice, row);
        put(encoded.subarray(0, encodeInto(slice, t.type, ne0, encoded, 0)));
      }
      const pad = alignUp(position - dataStart, alignment) - (position - dataStart);
      if (pad) put(new Uint8Array(pad));
    });
    return position;
  } finally {
    closeSync(fd);
  }
}
