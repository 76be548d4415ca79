/**
 * How much of a string is English words: what tells an identifier or a phrase (`getElementById`,
 * `thequickbrownfox`) from a random key. A test for "pronounceable" letter runs took random
 * base62 runs (`Wodlez`, `Jiniow`) for words: one random 16-character key in three read as a
 * quarter words. A dictionary does not: of 4,000 random 16-character strings, 0.25% (base62),
 * 0.5% (lower-case alphanumeric) and 1.5% (lower-case letters) reach 30% coverage, at 32
 * characters 0.2% or less, while identifiers reach 50–100%.
 *
 * The words: the `word-list` package (274,000 English words, two letters or more) plus the
 * programming abbreviations below, which no English list has.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const JARGON =
  'config conf util utils init async await param params args argv json http https html xml yaml auth src dest impl ctx req res btn msg str num int bool enum func const var len idx ptr obj arr buf tmp temp api url uri dom css svg png jpg gif div nav img attr prop props elem env dev prod lib libs pkg npm node webpack eslint babel typescript jsx tsx regex regexp utf ascii hex sha crypto cert ssl tls tcp udp dns sql repo git sync exec spawn cmd cli stdin stdout stderr dir';

const FNV_START = 0x811c9dc5;
const fnv = (h: number, c: number): number => Math.imul(h ^ c, 0x01000193);

/**
 * The words of a newline-separated list, looked up in place: an open-addressing table of line
 * offsets over the one list string. Building it costs about 0.12 s of CPU once per process
 * (at load average 12), a Set of the 274,000 strings about 0.35 s at the same load.
 */
class WordTable {
  private readonly slots: Int32Array; // line start + 1; 0 = empty
  private readonly mask: number;

  constructor(private readonly text: string) {
    let lines = 1;
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lines++;
    let size = 1;
    while (size < lines * 2) size <<= 1;
    this.slots = new Int32Array(size);
    this.mask = size - 1;
    let start = 0;
    let h = FNV_START;
    for (let i = 0; i <= text.length; i++) {
      const c = i < text.length ? text.charCodeAt(i) : 10;
      if (c === 13) continue;
      if (c !== 10) {
        h = fnv(h, c);
        continue;
      }
      if (i > start) this.insert(h, start);
      start = i + 1;
      h = FNV_START;
    }
  }

  private insert(h: number, start: number): void {
    let s = h & this.mask;
    while (this.slots[s] !== 0) s = (s + 1) & this.mask;
    this.slots[s] = start + 1;
  }

  /** Whether `word[from, to)` (lower-case ASCII letters) is a line of the list. */
  has(word: string, from = 0, to = word.length): boolean {
    let h = FNV_START;
    for (let i = from; i < to; i++) h = fnv(h, word.charCodeAt(i));
    return this.hasHashed(h, word, from, to);
  }

  /** `has`, given the FNV-1a hash of `word[from, to)`. */
  hasHashed(h: number, word: string, from: number, to: number): boolean {
    const text = this.text;
    const len = to - from;
    for (let s = h & this.mask; this.slots[s] !== 0; s = (s + 1) & this.mask) {
      const at = this.slots[s] - 1;
      let k = 0;
      while (k < len && text.charCodeAt(at + k) === word.charCodeAt(from + k)) k++;
      if (k === len) {
        const end = text.charCodeAt(at + len);
        if (at + len >= text.length || end === 10 || end === 13) return true;
      }
    }
    return false;
  }
}

let table: WordTable | undefined;

function load(): WordTable {
  const file = listBeside(createRequire(import.meta.url).resolve('word-list'));
  const text = readFileSync(file, 'latin1');
  const t = new WordTable(`${text}\n${JARGON.replace(/ /g, '\n')}`);
  if (!t.has('word') || !t.has('config')) throw new Error(`${file}: not a newline-separated English word list`);
  return t;
}

/** The package's main module exports the list's path; the list lies beside it. */
function listBeside(main: string): string {
  return main.replace(/[^/\\]+$/, 'words.txt');
}

/** Whether `word[from, to)` (lower case) is a dictionary word. */
export function isWord(word: string, from = 0, to = word.length): boolean {
  return (table ??= load()).has(word, from, to);
}

/**
 * Share of `s` covered by dictionary words. The string is cut at case changes, digits and
 * punctuation (`getElementById` → get, Element, By, Id); a piece of three letters or more counts
 * whole when it is a word, and a longer piece that is not (`helloworld`, `thequickbrownfox`)
 * counts the most letters that words of four letters or more cover in it.
 */
export function wordCoverage(s: string): number {
  if (s.length === 0) return 0;
  let covered = 0;
  for (const m of s.matchAll(/[A-Z]?[a-z]+|[A-Z]+(?![a-z])/g)) {
    if (m[0].length < 3) continue;
    const piece = m[0].toLowerCase();
    if (isWord(piece)) covered += piece.length;
    else if (piece.length >= 6) covered += coveredByWords(piece);
  }
  return covered / s.length;
}

/**
 * The most letters of `piece` that non-overlapping words of 4–20 letters cover: dynamic
 * programming over the piece's positions, each word's hash extended a letter at a time.
 */
function coveredByWords(piece: string): number {
  const words = (table ??= load());
  const n = piece.length;
  const best = new Array<number>(n + 1).fill(0); // best[i]: most letters covered in piece[0, i)
  for (let i = 0; i < n; i++) {
    if (best[i] > best[i + 1]) best[i + 1] = best[i];
    let h = FNV_START;
    for (let e = i; e < n && e - i < 20; e++) {
      h = fnv(h, piece.charCodeAt(e));
      const len = e + 1 - i;
      if (len >= 4 && best[i] + len > best[e + 1] && words.hasHashed(h, piece, i, e + 1)) best[e + 1] = best[i] + len;
    }
  }
  return best[n];
}
