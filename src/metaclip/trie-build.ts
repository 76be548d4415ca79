/**
 * Building a matcher's tables from metadata entries: the alphabet, a plain trie of the padded
 * keys, then its double-array layout (`double-array.ts`).
 */

import { placeDoubleArray } from './double-array.js';
import type { MatcherTransferable } from './matcher-tables.js';
import { paddedKey, type PaddingRule } from './padding.js';

export function buildTables(entries: readonly string[], padding: PaddingRule): MatcherTransferable {
  const keys = entries.map((e, i) => {
    if (typeof e !== 'string') throw new TypeError(`metadata entry ${i} is not a string`);
    return paddedKey(e, padding);
  });

  // Alphabet: code units of the keys numbered by frequency, so the common ones (space,
  // lower-case letters) get small codes and pack densely into the double array.
  const frequency = new Float64Array(65536);
  for (const k of keys) for (let i = 0; i < k.length; i++) frequency[k.charCodeAt(i)]++;
  const used: number[] = [];
  for (let u = 0; u < 65536; u++) if (frequency[u] > 0) used.push(u);
  used.sort((a, b) => frequency[b] - frequency[a] || a - b);
  const charToCode = new Uint16Array(65536);
  used.forEach((u, i) => (charToCode[u] = i + 1));
  const alphabet = used.length;

  const trie = buildTrie(keys, charToCode);
  const startsKey = new Uint8Array(alphabet + 1);
  for (let c = trie.firstChild[0]; c >= 0; c = trie.nextSibling[c]) startsKey[trie.code[c]] = 1;

  const placed = placeDoubleArray(trie, alphabet);
  return {
    format: 'thresher-metaclip-matcher/1',
    padding,
    entryCount: entries.length,
    charToCode,
    trie: placed.trie,
    slotEntry: placed.slotEntry,
    tailCodes: placed.tailCodes,
    tailStart: placed.tailStart,
    tailEntry: placed.tailEntry,
    duplicateNext: trie.duplicateNext,
    startsKey,
  };
}

export interface PlainTrie {
  nodes: number;
  code: Uint16Array;
  firstChild: Int32Array;
  nextSibling: Int32Array;
  /** smallest entry id ending at the node, or -1 */
  entry: Int32Array;
  duplicateNext: Int32Array;
}

/**
 * Plain trie from the keys sorted by code unit: each key shares its longest common prefix
 * with the previous one, so nodes are appended in depth-first order with no lookups, and
 * each node's children come in ascending character order.
 */
function buildTrie(keys: readonly string[], charToCode: Uint16Array): PlainTrie {
  // Distinct keys with their smallest id; the native string sort is much faster than sorting
  // ids with a comparator.
  const firstId = new Map<string, number>();
  const repeats: number[] = [];
  for (let id = 0; id < keys.length; id++) {
    if (firstId.has(keys[id])) repeats.push(id);
    else firstId.set(keys[id], id);
  }
  const sorted = [...firstId.keys()].sort();

  // Exact node count first, so the arrays are allocated once.
  let nodes = 1;
  let maxLength = 0;
  let prev = '';
  for (const key of sorted) {
    nodes += key.length - commonPrefix(prev, key);
    if (key.length > maxLength) maxLength = key.length;
    prev = key;
  }

  const code = new Uint16Array(nodes);
  const entry = new Int32Array(nodes).fill(-1);
  const firstChild = new Int32Array(nodes).fill(-1);
  const nextSibling = new Int32Array(nodes).fill(-1);
  const lastChild = new Int32Array(nodes).fill(-1);
  /** path[d]: the node of the previous key's first d units */
  const path = new Int32Array(maxLength + 1);
  let next = 1;
  prev = '';
  for (const key of sorted) {
    for (let d = commonPrefix(prev, key); d < key.length; d++) {
      const parent = path[d];
      const node = next++;
      code[node] = charToCode[key.charCodeAt(d)];
      if (lastChild[parent] < 0) firstChild[parent] = node;
      else nextSibling[lastChild[parent]] = node;
      lastChild[parent] = node;
      path[d + 1] = node;
    }
    entry[path[key.length]] = firstId.get(key) as number;
    prev = key;
  }

  // The same string more than once in the metadata: every id matches, as in the reference
  // loop. Chain each repeat after the previous id of its string, in ascending id order.
  let duplicateNext = new Int32Array(0);
  if (repeats.length > 0) {
    duplicateNext = new Int32Array(keys.length).fill(-1);
    const lastId = new Map<string, number>();
    for (const id of repeats) {
      const key = keys[id];
      duplicateNext[lastId.get(key) ?? (firstId.get(key) as number)] = id;
      lastId.set(key, id);
    }
  }
  return { nodes, code, firstChild, nextSibling, entry, duplicateNext };
}

function commonPrefix(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}
