export { clipClean, clipNormalize } from './clean.js';
export { htmlUnescape } from './html-unescape.js';
export { loadClipMerges } from './merges-file.js';
export { ClipTokenizer } from './tokenizer.js';
export { EOT, SOT, tokenStrings, VOCAB_SIZE } from './vocab.js';

import { loadClipMerges } from './merges-file.js';
import { ClipTokenizer } from './tokenizer.js';

/** A tokenizer on the merges shipped in the package. */
export function clipTokenizer(): ClipTokenizer {
  return new ClipTokenizer(loadClipMerges());
}
