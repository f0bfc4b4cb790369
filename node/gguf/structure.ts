// Walks a GGUF file's header (its metadata entries and tensor infos) checking every count and
// length against the bytes the file has, before node-llama-cpp's readGgufFileInfo parses it.
//
// Why, and why by hand: node-llama-cpp's file reader pads a read past the end of the file with
// zeros instead of failing. A file with the GGUF magic and junk after it ("GGUF but not really":
// 7.9 million metadata entries, 7e18 tensors) has its parser read zeros without end, re-copying
// an ever larger buffer, and the inference process spun at full CPU until it was killed (the
// security property test hung on that file). Its parser and reader are not exported, so they
// cannot be given a bounded reader, and no other Node library reads GGUF with bounds checks. The
// walk is short: every step consumes at least 8 real bytes of a header capped at MAX_HEADER_BYTES,
// and arrays of fixed-size values are skipped whole. Its rules are llama.cpp's (gguf.cpp), so
// nothing that llama.cpp would load is refused here.
import { basename } from 'node:path';
import type { FileHandle } from 'node:fs/promises';
import { ApiError } from '../../core/api/contract.js';
import { openRegularFile } from '../fs/safe-file.js';

/**
 * The largest header (metadata + tensor infos) accepted. The largest real ones hold a 200k-token
 * vocabulary and its merges, about 15 MB; node-llama-cpp keeps the whole header in memory.
 */
export const MAX_HEADER_BYTES = 128 * 1024 * 1024;

/** Bytes of each fixed-size GGUF value type (gguf.md); 8 = string, 9 = array. */
const VALUE_BYTES: Record<number, number> = { 0: 1, 1: 1, 2: 2, 3: 2, 4: 4, 5: 4, 6: 4, 7: 1, 10: 8, 11: 8, 12: 8 };
const STRING = 8;
const ARRAY = 9;
/** The least a metadata entry (empty key, type, one byte) and a tensor info (empty name, no dims, type, offset) take. */
const MIN_ENTRY_BYTES = 8 + 4 + 1;
const MIN_TENSOR_BYTES = 8 + 4 + 4 + 8;

/** The header failed a check; the message is a clause that follows "the file …". */
class Malformed extends Error {}

const CUT_SHORT = 'the GGUF header is cut short; the file is incomplete or corrupt';

/**
 * Reads a file forward through a window of about CHUNK bytes, never past `limit`. Counts are read
 * as numbers: one above 2^53 loses precision but is still far above any limit, so the comparison
 * holds. Reads wait only when the window runs out (a 600k-token vocabulary is walked in ms).
 */
class Cursor {
  private static readonly CHUNK = 1024 * 1024;
  private window = Buffer.alloc(0);
  /** file offset of window[0] */
  private start = 0;
  /** file offset of the next byte to read */
  pos = 0;

  constructor(
    private readonly handle: FileHandle,
    private readonly size: number,
    private readonly limit: number,
  ) {}

  /** Bytes left before the limit. */
  get remaining(): number {
    return this.limit - this.pos;
  }

  private ensureWithin(bytes: number): void {
    if (bytes <= this.limit - this.pos) return;
    throw new Malformed(
      this.limit < this.size ? `the GGUF header is larger than ${MAX_HEADER_BYTES / 1024 / 1024} MB; the file is corrupt or not a model` : CUT_SHORT,
    );
  }

  skip(bytes: number): void {
    this.ensureWithin(bytes);
    this.pos += bytes;
  }

  /** Makes the next `count` bytes readable from the window. */
  async need(count: number): Promise<void> {
    if (this.pos + count <= this.start + this.window.length) return;
    this.ensureWithin(count);
    const length = Math.min(Math.max(count, Cursor.CHUNK), this.limit - this.pos);
    const buffer = Buffer.alloc(length);
    let filled = 0;
    while (filled < length) {
      const { bytesRead } = await this.handle.read(buffer, filled, length - filled, this.pos + filled);
      if (bytesRead === 0) throw new Malformed(CUT_SHORT); // the file shrank since its size was read
      filled += bytesRead;
    }
    this.window = buffer;
    this.start = this.pos;
  }

  /** After need(4). */
  u32Now(): number {
    const value = this.window.readUInt32LE(this.pos - this.start);
    this.pos += 4;
    return value;
  }

  /** After need(8). */
  u64Now(): number {
    const at = this.pos - this.start;
    this.pos += 8;
    return this.window.readUInt32LE(at) + this.window.readUInt32LE(at + 4) * 2 ** 32;
  }

  async u32(): Promise<number> {
    await this.need(4);
    return this.u32Now();
  }

  async u64(): Promise<number> {
    await this.need(8);
    return this.u64Now();
  }

  /** A count of items of at least `each` bytes, refused when the rest of the header cannot hold them. */
  async count(each: number): Promise<number> {
    const n = await this.u64();
    this.ensureWithin(n * each);
    return n;
  }

  /** Skip `n` strings (a length, then its bytes), waiting only when the window runs out. */
  async skipStrings(n: number): Promise<void> {
    for (let i = 0; i < n; i++) {
      if (this.pos + 8 > this.start + this.window.length) await this.need(8);
      this.skip(this.u64Now());
    }
  }
}

async function skipValue(cursor: Cursor, type: number): Promise<void> {
  const fixed = VALUE_BYTES[type];
  if (fixed !== undefined) return cursor.skip(fixed);
  if (type === STRING) return cursor.skipStrings(1);
  if (type !== ARRAY) throw new Malformed('the GGUF header has a value of an unknown type; the file is damaged or not a model');
  const itemType = await cursor.u32();
  const itemBytes = VALUE_BYTES[itemType];
  if (itemBytes !== undefined) return cursor.skip((await cursor.u64()) * itemBytes);
  // llama.cpp reads no arrays of arrays (gguf.cpp: "invalid GGUF type").
  if (itemType !== STRING) throw new Malformed('the GGUF header has an array of an unreadable type; the file is damaged or not a model');
  await cursor.skipStrings(await cursor.count(8));
}

/** Walk the header of one GGUF file; throws Malformed at the first count or length that does not fit. */
async function walk(handle: FileHandle, size: number): Promise<void> {
  const cursor = new Cursor(handle, size, Math.min(size, MAX_HEADER_BYTES));
  cursor.skip(4); // the magic, checked by the caller
  const version = await cursor.u32();
  // llama.cpp reads versions 2 and 3 (1 is no longer supported, later ones are unknown to it).
  if (version !== 2 && version !== 3) throw new Malformed(version === 1 ? 'it is a GGUF version 1 file, which llama.cpp no longer reads' : 'unsupported GGUF file (a version this llama.cpp does not read)');
  const tensors = await cursor.u64();
  const entries = await cursor.u64();
  if (entries * MIN_ENTRY_BYTES + tensors * MIN_TENSOR_BYTES > cursor.remaining) throw new Malformed(CUT_SHORT);
  for (let i = 0; i < entries; i++) {
    await cursor.skipStrings(1);
    await skipValue(cursor, await cursor.u32());
  }
  for (let i = 0; i < tensors; i++) {
    await cursor.skipStrings(1);
    cursor.skip((await cursor.u32()) * 8 + 4 + 8); // the dimensions, the ggml type, the data offset
  }
}

/**
 * A model or adapter path must be a regular file with the GGUF magic and a header whose every
 * count and length fits in the file before anything parses it (see the top of this file). The
 * same one-line refusal as checkGgufFile for a path that is not a readable GGUF file; the header's
 * problems are named without quoting any of its bytes. Returns the file's size.
 */
export async function checkGgufStructure(path: string): Promise<number> {
  let opened: Awaited<ReturnType<typeof openRegularFile>>;
  try {
    opened = await openRegularFile(path);
  } catch {
    throw notGguf(path);
  }
  const { handle, stats } = opened;
  try {
    const magic = Buffer.alloc(4);
    const { bytesRead } = await handle.read(magic, 0, 4, 0);
    if (bytesRead !== 4 || magic.toString('latin1') !== 'GGUF') throw notGguf(path);
    await walk(handle, stats.size);
    return stats.size;
  } catch (error) {
    if (error instanceof Malformed) throw new ApiError('model-error', error.message);
    if (error instanceof ApiError) throw error;
    throw notGguf(path);
  } finally {
    await handle.close().catch(() => undefined);
  }
}

const notGguf = (path: string) => new ApiError('model-error', `${basename(path)} is not a readable GGUF file`);

/** node-llama-cpp's name for the parts of a split model; it reads every part when given one. */
const SPLIT_PART = /-(\d{5})-of-(\d{5})\.gguf$/;

/** Every part of the split model `path` names (itself alone when it names none). */
export function splitParts(path: string): string[] {
  const match = SPLIT_PART.exec(path);
  const parts = Number(match?.[2]);
  if (!match || !(parts > 0) || Number(match[1]) > parts || Number(match[1]) === 0) return [path];
  const common = path.slice(0, match.index);
  return Array.from({ length: parts }, (_, i) => `${common}-${String(i + 1).padStart(5, '0')}-of-${match[2]}.gguf`);
}
