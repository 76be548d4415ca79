/**
 * The merges shipped in the package (merges.bin.gz beside this module's source, MIT, see
 * LICENSE-bpe.txt), and how that file is made from openai/CLIP's bpe_simple_vocab_16e6.txt.gz.
 * Regenerate: `node dist/src/models/clip/merges-file.js path/to/bpe_simple_vocab_16e6.txt.gz`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';
import { type ClipMerges, mergesFromBpeText, mergesFromBytes, mergesToBytes } from './vocab.js';

/** The shipped file; from dist/src/models/clip/ the source folder is four levels up. */
export const SHIPPED_MERGES = fileURLToPath(new URL('../../../../src/models/clip/merges.bin.gz', import.meta.url));

let shipped: ClipMerges | undefined;

/** CLIP's merges from the file shipped in the package (read once). */
export function loadClipMerges(): ClipMerges {
  shipped ??= mergesFromBytes(gunzipSync(readFileSync(SHIPPED_MERGES)));
  return shipped;
}

/** The compact file's bytes for a BPE file (gzip of the text, as openai/CLIP ships it). */
export function compactMergesFile(bpeGz: Uint8Array): Buffer {
  const merges = mergesFromBpeText(gunzipSync(bpeGz).toString('utf8'));
  return gzipSync(mergesToBytes(merges), { level: 9 });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const src = process.argv[2];
  if (!src) {
    process.stderr.write('usage: node dist/src/models/clip/merges-file.js bpe_simple_vocab_16e6.txt.gz\n');
    process.exit(2);
  }
  writeFileSync(SHIPPED_MERGES, compactMergesFile(readFileSync(src)));
  process.stderr.write(`wrote ${SHIPPED_MERGES}\n`);
}
