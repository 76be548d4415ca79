import type { LicenseCorpus, ReferenceLicense } from './corpus.js';
import { Postings } from './postings.js';

/**
 * The licence corpus as bytes for the build store (core/build-store.ts): a JSON header (ids,
 * aliases, bigram counts, the vocabulary in id order) padded to 4 bytes, then six Int32
 * arrays: word offsets, words, and the postings' keys, offsets, values and hash table.
 * Loading makes views into the file's bytes, so the 700 texts' word arrays and the 69k
 * postings cost one read and no per-entry copy.
 */
const MAGIC = 'thresher-license-corpus/2\n';

interface Header {
  ids: string[];
  aliases: string[][];
  bigramCounts: number[];
  vocabulary: string[];
  /** Element counts of the six arrays. */
  lengths: number[];
}

export function corpusToBytes(corpus: LicenseCorpus): Uint8Array {
  const { licenses, vocabulary, postings } = corpus;
  const wordOffsets = new Int32Array(licenses.length + 1);
  licenses.forEach((l, i) => (wordOffsets[i + 1] = wordOffsets[i] + l.words.length));
  const words = new Int32Array(wordOffsets[licenses.length]);
  licenses.forEach((l, i) => words.set(l.words, wordOffsets[i]));
  const arrays = [wordOffsets, words, postings.keys, postings.offsets, postings.values, postings.table];
  const header: Header = {
    ids: licenses.map((l) => l.id),
    aliases: licenses.map((l) => l.aliases),
    bigramCounts: licenses.map((l) => l.bigramCount),
    vocabulary: [...vocabulary.keys()],
    lengths: arrays.map((a) => a.length),
  };
  let head = Buffer.from(MAGIC + JSON.stringify(header) + '\n');
  head = Buffer.concat([head, Buffer.alloc((4 - (head.length % 4)) % 4, 0x20)]);
  return Buffer.concat([head, ...arrays.map((a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength))]);
}

/** Throws on anything but `corpusToBytes` output. */
export function corpusFromBytes(bytes: Uint8Array): LicenseCorpus {
  if (bytes.byteOffset % 4 !== 0) bytes = new Uint8Array(bytes); // Int32 views need alignment
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (text.toString('latin1', 0, MAGIC.length) !== MAGIC) throw new Error('not a licence corpus');
  const end = text.indexOf(10, MAGIC.length);
  const header = JSON.parse(text.toString('utf8', MAGIC.length, end)) as Header;
  let at = end + 1;
  at += (4 - (at % 4)) % 4;
  const arrays = header.lengths.map((n) => {
    if (at + n * 4 > bytes.byteLength) throw new Error('licence corpus cut short');
    const view = new Int32Array(bytes.buffer, bytes.byteOffset + at, n);
    at += n * 4;
    return view;
  });
  if (at !== bytes.byteLength) throw new Error('licence corpus has trailing bytes');
  if (arrays.length !== 6) throw new Error('licence corpus header damaged');
  const [wordOffsets, words, keys, postingOffsets, values, table] = arrays;
  // a full or odd-sized table would make lookups loop: such a file is damaged
  if (table.length & (table.length - 1) || table.length < keys.length * 2) throw new Error('licence corpus table damaged');
  const licenses: ReferenceLicense[] = header.ids.map((id, i) => ({
    id,
    aliases: header.aliases[i],
    words: words.subarray(wordOffsets[i], wordOffsets[i + 1]),
    bigramCount: header.bigramCounts[i],
  }));
  const vocabulary = new Map<string, number>();
  header.vocabulary.forEach((word, i) => vocabulary.set(word, i + 1));
  return { licenses, vocabulary, postings: new Postings(keys, postingOffsets, values, table) };
}
