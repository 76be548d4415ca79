/** Worker used by matcher-cases.test.ts: rebuilds a matcher from posted tables and matches. */
import { parentPort, workerData } from 'node:worker_threads';
import { MetaclipMatcher, type MatcherTransferable } from '../../src/metaclip/automaton.js';

const { tables, texts } = workerData as { tables: MatcherTransferable; texts: string[] };
const matcher = MetaclipMatcher.fromTransferable(tables);
parentPort?.postMessage({
  results: texts.map((t) => Array.from(matcher.match(t))),
  shared: tables.trie.buffer instanceof SharedArrayBuffer,
});
