import { z } from 'zod';
import { TextDecoder } from 'node:util';
import { isAscii, isUtf8 } from 'node:buffer';
import { InputError } from '../core/errors.js';
import type { ExcludedRecord } from '../core/record.js';
import type { BadInputPolicy, InputSlice, ReadItem } from './types.js';

/** Every reader's `content_id` option (see core/hashing.ts ContentIdMode). */
export const contentIdSchema = z.enum(['swh', 'xxh3', 'none']).default('swh');

/** `stage` of every exclusion a reader makes. */
export const READ_STAGE = 'read';

/**
 * Reasons a reader excludes input. Bad bytes (`bad_record`, `truncated`, `corrupt`,
 * `unreadable`) are errors under policy `fail`; the others are properties of the data
 * (`binary`, `too_large`, `invalid_utf8` files in a tree, `symlink`, `special_file`,
 * `no_content`) and are excluded under either policy.
 */
export type ReadExclusionReason = 'binary' | 'too_large' | 'invalid_utf8' | 'symlink' | 'special_file' | 'unreadable' | 'bad_record' | 'truncated' | 'corrupt' | 'no_content' | VcsExclusionReason;
/** Version-control readers (src/vcs): a submodule (gitlink), a Git LFS pointer, a blob the store lacks. */
export type VcsExclusionReason = 'submodule' | 'lfs_pointer' | 'missing_blob';

export function excluded(id: string, source: string, sourceRow: number | null, reason: ReadExclusionReason, bytes: number, detail?: string): ReadItem {
  const ex: ExcludedRecord = { id, source, source_row: sourceRow, stage: READ_STAGE, bytes, reason };
  if (detail !== undefined) ex.detail = detail;
  return { excluded: ex };
}

/**
 * Bad input: under `fail` throws an InputError naming file and row; under `quarantine`
 * returns the exclusion to yield.
 */
export function badInput(policy: BadInputPolicy, file: string, row: number | null, reason: ReadExclusionReason, problem: string, id: string, bytes: number): ReadItem {
  if (policy === 'fail') throw new InputError(file, problem, row === null ? {} : { row });
  return excluded(id, file, row, reason, bytes, problem);
}

/** Reasons that are bad bytes: errors under policy `fail`. */
const BAD_BYTES: ReadonlySet<ReadExclusionReason> = new Set(['bad_record', 'truncated', 'corrupt', 'unreadable']);

/**
 * The records of every slice, read by `readSlice`, except a file listed with a problem
 * (InputFile.problem): it is never opened and gives one exclusion, or under `fail` an
 * InputError when the problem is bad bytes. Shared by the readers that use expandInputs.
 */
export async function* readListed<T = ReadItem>(slices: readonly InputSlice[], policy: BadInputPolicy, readSlice: (slice: InputSlice) => AsyncIterable<T>): AsyncGenerator<T | ReadItem> {
  for (const slice of slices) {
    const { path: src, bytes, problem } = slice.file;
    if (!problem) yield* readSlice(slice);
    else if (BAD_BYTES.has(problem.reason)) yield badInput(policy, src, null, problem.reason, problem.detail, src, bytes);
    else yield excluded(src, src, null, problem.reason, bytes, problem.detail);
  }
}

/** One line of text from any error (DuckDB messages span lines). */
export function oneLine(err: unknown): string {
  let msg: string;
  if (err instanceof Error) {
    const code = (err as NodeJS.ErrnoException).code;
    msg = err.message;
    if (typeof code === 'string' && !msg.includes(code)) msg = `${code}: ${msg}`;
  } else {
    msg = String(err);
  }
  return msg.replace(/\s*\n\s*/g, ' ').trim();
}

export function isFsError(err: unknown): err is NodeJS.ErrnoException {
  return err instanceof Error && typeof (err as NodeJS.ErrnoException).code === 'string' && (err as NodeJS.ErrnoException).syscall !== undefined;
}

type SliceableBuffer = Buffer & { latin1Slice(start: number, end: number): string; utf8Slice(start: number, end: number): string };

/**
 * `bytes` as text, or null when they are not valid UTF-8 (what a fatal TextDecoder rejects:
 * overlong forms, surrogates, truncated sequences); a leading BOM is kept. Validation is
 * simdutf's (isUtf8, GB/s); an ASCII text is copied as Latin-1, which needs no decoding, and
 * V8 keeps a large one outside its heap. 1.4x the speed of TextDecoder on node_modules.
 */
export function decodeUtf8(bytes: Buffer): string | null {
  const b = bytes as SliceableBuffer;
  if (isAscii(b)) return b.latin1Slice(0, b.length);
  return isUtf8(b) ? b.utf8Slice(0, b.length) : null;
}

/** Strict UTF-8 decoder that keeps a leading BOM (content must reflect the bytes). */
export function strictDecoder(): TextDecoder {
  return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
}
