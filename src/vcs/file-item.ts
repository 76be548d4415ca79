import type { DataRecord } from '../core/record.js';
import { excluded, strictDecoder } from '../io/common.js';
import type { ReadItem } from '../io/types.js';
import { isLfsPointer, lfsPointerDetail } from './lfs.js';

const BINARY_SNIFF_BYTES = 8192;
const decoder = strictDecoder();

/**
 * A file's bytes as a record or an exclusion, the same way for every version-control reader:
 * too large, LFS pointer, binary (a NUL in the first 8 KiB, as the directory reader decides)
 * or not UTF-8 are excluded with that reason; otherwise `fields` plus `size` and `content`.
 */
export function fileItem(bytes: Buffer, id: string, source: string, row: number | null, maxBytes: number, fields: DataRecord): ReadItem {
  if (bytes.length > maxBytes) return excluded(id, source, row, 'too_large', bytes.length, `${bytes.length} bytes > max_bytes ${maxBytes}`);
  if (isLfsPointer(bytes)) return excluded(id, source, row, 'lfs_pointer', bytes.length, lfsPointerDetail(bytes));
  const nul = bytes.subarray(0, BINARY_SNIFF_BYTES).indexOf(0);
  if (nul >= 0) return excluded(id, source, row, 'binary', bytes.length, `NUL byte at offset ${nul}`);
  let content: string;
  try {
    content = decoder.decode(bytes);
  } catch {
    return excluded(id, source, row, 'invalid_utf8', bytes.length, 'not valid UTF-8');
  }
  fields.size = bytes.length;
  fields.content = content;
  return { record: fields };
}
