// llama.cpp's gguf-split layout: the first part carries all metadata, every part carries the
// split.* keys and its share of the tensors (offsets relative to its own data section). llama.cpp
// finds the other parts from the first one's name (name-00001-of-00003.gguf).
import { GgufValueType } from './format.js';
import { i32, writeGguf, type GgufFile, type GgufValue } from './writer.js';

const u16 = (value: number): GgufValue => ({ type: GgufValueType.UINT16, value });

export function splitGguf(file: GgufFile, parts: number): Uint8Array[] {
  if (parts < 2 || parts > file.tensors.length) throw new Error(`cannot split ${file.tensors.length} tensors into ${parts} parts`);
  const per = Math.ceil(file.tensors.length / parts);
  return Array.from({ length: parts }, (_, i) => {
    const split: Array<[string, GgufValue]> = [
      ['split.no', u16(i)],
      ['split.count', u16(parts)],
      ['split.tensors.count', i32(file.tensors.length)],
    ];
    return writeGguf({
      metadata: i === 0 ? [...file.metadata, ...split] : split,
      tensors: file.tensors.slice(i * per, (i + 1) * per),
      ...(file.alignment ? { alignment: file.alignment } : {}),
    });
  });
}
