import { lowerTable, spaceTable, type WhitespaceRule } from './normalize.js';

/**
 * Does a text, normalised on the fly (normalize.ts), contain any of a set of normalised
 * patterns, and which one starts first. Aho-Corasick over UTF-16 code units on the first
 * `anchor` characters of every pattern; where an anchor ends, the rest of each pattern with
 * that anchor is compared with the text that follows.
 *
 * Why not the MetaCLIP automaton (metaclip/automaton.ts): it walks a trie only from positions
 * where a key starts (every key begins with a space), has no failure links and applies
 * MetaCLIP's spacing rule while reading; a benchmark item starts anywhere, so it would walk
 * from every character, O(text × item length) on code that shares long prefixes with items.
 *
 * Why anchors: every item is at least `min_length` long, so its first `min_length` characters
 * are enough to find where it may start. The trie holds at most patterns × anchor nodes
 * instead of one node per pattern character (4,252 TypeScript functions, 5.2 M characters:
 * 0.14 M nodes instead of 5.2 M), and all anchors have one length, so an anchor ends exactly
 * when the walk stands on a leaf: no output links. The price: where an anchor occurs, every
 * pattern sharing it is compared until it differs (items that all open with the same 50
 * characters, a licence header say, are compared one by one there).
 *
 * Layout (about 15 bytes per trie node):
 * - Anchors are inserted in sorted order, so nodes are numbered depth-first: a node's first
 *   child is the next node, further children follow through `sibling` in ascending label order.
 * - The root and nodes with many children get a dense row over the alphabet.
 * - `fail` is the usual failure link; `first` per leaf the first pattern (by id) with that
 *   anchor, `nextSame` chains the others; `rest`/`restStart` hold what follows each anchor.
 * - The alphabet is the code units occurring in patterns; `codeOf` maps every code unit,
 *   lower-cased, to its letter (0: in no pattern, the walk restarts at the root) or to WS.
 */

const WS = 0xffff;
/** A node with at least this many children (and a sixteenth of the alphabet) gets a dense row. */
const DENSE_MIN = 6;

export class SubstringAutomaton {
  private readonly codeOf: Uint16Array;
  private readonly spaceCode: number;
  private readonly collapse: boolean;
  private readonly label: Uint16Array;
  private readonly sibling: Int32Array;
  private readonly kids: Uint8Array;
  private readonly dense: Int32Array;
  private readonly rows: Int32Array;
  private readonly fail: Int32Array;
  /** per node: the smallest pattern id whose anchor ends there, or -1 */
  private readonly first: Int32Array;
  /** per pattern: the next larger pattern id with the same anchor, or -1 */
  private readonly nextSame: Int32Array;
  /** letters of each pattern after its anchor, back to back */
  private readonly rest: Uint16Array;
  private readonly restStart: Int32Array;
  readonly nodes: number;
  readonly anchor: number;

  /**
   * `patterns` must already be normalised under `rule` and non-empty; ids are their indices.
   * `anchor`: how many leading characters go into the trie (at most the shortest pattern).
   */
  constructor(patterns: readonly string[], rule: WhitespaceRule, anchor = Infinity) {
    this.collapse = rule === 'collapse';
    const { letterOf, letters } = alphabetOf(patterns);
    this.codeOf = codeTable(letterOf);
    this.spaceCode = letterOf[32];
    let shortest = anchor;
    for (const p of patterns) shortest = Math.min(shortest, p.length);
    this.anchor = patterns.length === 0 ? 1 : Math.max(1, shortest);
    const anchors = patterns.map((p) => p.slice(0, this.anchor));
    const trie = buildTrie(anchors, letterOf);
    this.nodes = trie.nodes;
    this.label = trie.label;
    this.sibling = trie.sibling;
    this.kids = trie.kids;
    const { dense, rows } = denseRows(trie, letters);
    this.dense = dense;
    this.rows = rows;
    this.fail = new Int32Array(this.nodes);
    this.linkFailures();
    ({ first: this.first, nextSame: this.nextSame } = chainByAnchor(trie.leafOf, this.nodes));
    this.restStart = new Int32Array(patterns.length + 1);
    patterns.forEach((p, i) => (this.restStart[i + 1] = this.restStart[i] + p.length - this.anchor));
    this.rest = new Uint16Array(this.restStart[patterns.length]);
    patterns.forEach((p, i) => {
      for (let k = this.anchor; k < p.length; k++) this.rest[this.restStart[i] + k - this.anchor] = letterOf[p.charCodeAt(k)];
    });
  }

  /** The child of `s` labelled `c`, or 0 (the root is nobody's child). */
  private next(s: number, c: number): number {
    const d = this.dense[s];
    if (d !== 0) return this.rows[d - 1 + c];
    if (this.kids[s] === 0) return 0;
    for (let n = s + 1; n !== 0; n = this.sibling[n]) {
      const l = this.label[n];
      if (l === c) return n;
      if (l > c) return 0;
    }
    return 0;
  }

  /** Failure links, breadth-first (a node's failure target is shallower). */
  private linkFailures(): void {
    const queue = new Int32Array(this.nodes);
    let head = 0;
    let tail = 0;
    for (let v = this.kids[0] ? 1 : 0; v !== 0; v = this.sibling[v]) queue[tail++] = v; // fail = root
    while (head < tail) {
      const u = queue[head++];
      if (this.kids[u] === 0) continue;
      for (let v = u + 1; v !== 0; v = this.sibling[v]) {
        const c = this.label[v];
        let f = this.fail[u];
        let t = this.next(f, c);
        while (t === 0 && f !== 0) {
          f = this.fail[f];
          t = this.next(f, c);
        }
        this.fail[v] = t;
        queue[tail++] = v;
      }
    }
  }

  /** Id of the pattern the normalised `text` contains that starts first (ties: smallest id), or -1. */
  firstMatch(text: string): number {
    const { codeOf, label, sibling, kids, dense, rows, fail, first, nextSame, collapse, spaceCode } = this;
    let s = 0;
    let prevSpace = false;
    for (let i = 0; i < text.length; i++) {
      let c = codeOf[text.charCodeAt(i)];
      if (c === WS) {
        if (!collapse || prevSpace) continue;
        prevSpace = true;
        c = spaceCode;
      } else prevSpace = false;
      if (c === 0) {
        s = 0;
        continue;
      }
      for (;;) {
        let t = 0;
        const d = dense[s];
        if (d !== 0) t = rows[d - 1 + c];
        else if (kids[s] !== 0) {
          for (let n = s + 1; n !== 0; n = sibling[n]) {
            const l = label[n];
            if (l >= c) {
              if (l === c) t = n;
              break;
            }
          }
        }
        if (t !== 0) {
          s = t;
          break;
        }
        if (s === 0) break;
        s = fail[s];
      }
      for (let id = first[s]; id >= 0; id = nextSame[id]) if (this.restFollows(text, i + 1, id, prevSpace)) return id;
    }
    return -1;
  }

  /** Whether pattern `id`'s letters after its anchor follow in `text` from `from` on. */
  private restFollows(text: string, from: number, id: number, prevSpace: boolean): boolean {
    const { codeOf, rest } = this;
    const end = this.restStart[id + 1];
    let k = this.restStart[id];
    for (let j = from; k < end; j++) {
      if (j >= text.length) return false;
      let c = codeOf[text.charCodeAt(j)];
      if (c === WS) {
        if (!this.collapse || prevSpace) continue;
        prevSpace = true;
        c = this.spaceCode;
      } else prevSpace = false;
      if (c !== rest[k++]) return false;
    }
    return true;
  }
}

/** Code unit → letter (1, 2, ... in code unit order, so sorted patterns give children in label order; 0: unused). */
function alphabetOf(patterns: readonly string[]): { letterOf: Uint16Array; letters: number } {
  const letterOf = new Uint16Array(65536);
  for (const p of patterns) {
    if (p.length === 0) throw new RangeError('empty pattern: it would match every text');
    for (let i = 0; i < p.length; i++) letterOf[p.charCodeAt(i)] = 1;
  }
  let letters = 1;
  for (let u = 0; u < 65536; u++) if (letterOf[u]) letterOf[u] = letters++;
  return { letterOf, letters };
}

/** Per leaf, the patterns whose anchor ends there, in id order. */
function chainByAnchor(leafOf: Int32Array, nodes: number): { first: Int32Array; nextSame: Int32Array } {
  const first = new Int32Array(nodes).fill(-1);
  const last = new Int32Array(nodes).fill(-1);
  const nextSame = new Int32Array(leafOf.length).fill(-1);
  leafOf.forEach((leaf, id) => {
    if (first[leaf] < 0) first[leaf] = id;
    else nextSame[last[leaf]] = id;
    last[leaf] = id;
  });
  return { first, nextSame };
}

/** Code unit → letter of its lower-case form (0: in no pattern), whitespace → WS. */
function codeTable(letterOf: Uint16Array): Uint16Array {
  const lo = lowerTable();
  const sp = spaceTable();
  const table = new Uint16Array(65536);
  for (let u = 0; u < 65536; u++) table[u] = sp[u] ? WS : letterOf[lo[u]];
  return table;
}

interface Trie {
  nodes: number;
  label: Uint16Array;
  sibling: Int32Array;
  kids: Uint8Array;
  /** per pattern: the node where it ends */
  leafOf: Int32Array;
}

/** The trie of the patterns, inserted in sorted order so nodes are numbered depth-first (first child = node + 1). */
function buildTrie(patterns: readonly string[], letterOf: Uint16Array): Trie {
  const order = patterns.map((_, i) => i).sort((a, b) => (patterns[a] < patterns[b] ? -1 : patterns[a] > patterns[b] ? 1 : a - b));
  const capacity = patterns.reduce((n, p) => n + p.length, 1);
  const label = new Uint16Array(capacity);
  const sibling = new Int32Array(capacity);
  const lastChild = new Int32Array(capacity);
  const kids = new Uint8Array(capacity);
  const leafOf = new Int32Array(patterns.length);
  const path: number[] = [0];
  let nodes = 1;
  let prev = '';
  for (const id of order) {
    const p = patterns[id];
    let l = 0;
    while (l < p.length && l < prev.length && p.charCodeAt(l) === prev.charCodeAt(l)) l++;
    for (let d = l; d < p.length; d++) {
      const parent = path[d];
      const n = nodes++;
      label[n] = letterOf[p.charCodeAt(d)];
      if (kids[parent] === 0 && n !== parent + 1) throw new Error('decontam trie: patterns not in sorted order');
      if (kids[parent] !== 0) sibling[lastChild[parent]] = n;
      lastChild[parent] = n;
      if (kids[parent] < 255) kids[parent]++;
      path[d + 1] = n;
    }
    leafOf[id] = path[p.length];
    prev = p;
  }
  return { nodes, label: label.slice(0, nodes), sibling: sibling.slice(0, nodes), kids: kids.slice(0, nodes), leafOf };
}

/** Dense rows (child per letter) for the root and every node with many children. */
function denseRows(trie: Trie, letters: number): { dense: Int32Array; rows: Int32Array } {
  const min = Math.max(DENSE_MIN, Math.ceil(letters / 16));
  const dense = new Int32Array(trie.nodes);
  const busy: number[] = [0];
  for (let s = 1; s < trie.nodes; s++) if (trie.kids[s] >= min) busy.push(s);
  const rows = new Int32Array(busy.length * letters);
  busy.forEach((s, k) => {
    dense[s] = k * letters + 1;
    if (trie.kids[s] === 0) return;
    for (let n = s + 1; n !== 0; n = trie.sibling[n]) rows[k * letters + trie.label[n]] = n;
  });
  return { dense, rows };
}
