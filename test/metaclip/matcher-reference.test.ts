import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { MetaclipMatcher } from '../../src/metaclip/automaton.js';
import { loadMetadataSync } from '../../src/metaclip/metadata.js';
import { metaclipData, referenceRows } from './helpers.js';
import { needsShared } from '../helpers/shared.js';

test('matches every reference text exactly (35,014 COCO and alt-text captions, 86,671 entries)', needsShared, () => {
  const entries = loadMetadataSync(path.join(metaclipData, 'metadata-wn30.json.gz'));
  assert.equal(entries.length, 86_671);
  const matcher = MetaclipMatcher.build(entries);
  const rows = referenceRows();
  assert.equal(rows.length, 35_014);
  const mismatches: string[] = [];
  let total = 0;
  for (const row of rows) {
    const got = matcher.match(row.text);
    total += got.length;
    if (got.length !== row.matches.length || got.some((e, i) => e !== row.matches[i])) {
      mismatches.push(`${row.id}: ${JSON.stringify(row.text)} got ${JSON.stringify(Array.from(got))} want ${JSON.stringify(row.matches)}`);
    }
  }
  assert.deepEqual(mismatches.slice(0, 10), []);
  // and on the texts' UTF-8, as the engine matches texts that stayed in their input bytes
  for (const row of rows) {
    const bytes = Buffer.from(`xx${row.text}y`, 'utf8');
    const got = Array.from(matcher.matchUtf8View(bytes, 2, bytes.length - 1));
    if (got.length !== row.matches.length || got.some((e, i) => e !== row.matches[i])) mismatches.push(`utf8 ${row.id}`);
  }
  assert.deepEqual(mismatches.slice(0, 10), []);
  assert.equal(
    total,
    rows.reduce((s, r) => s + r.matches.length, 0),
  );

  // The same through the transferable form and through bytes (aligned and not).
  const copies = [MetaclipMatcher.fromTransferable(matcher.toTransferable({ shared: true })), MetaclipMatcher.fromBytes(matcher.toBytes())];
  const bytes = matcher.toBytes();
  const unaligned = new Uint8Array(bytes.length + 1).subarray(1);
  unaligned.set(bytes);
  copies.push(MetaclipMatcher.fromBytes(unaligned));
  for (const copy of copies) {
    for (const row of rows.slice(0, 3000)) assert.deepEqual(Array.from(copy.match(row.text)), row.matches);
  }
});
