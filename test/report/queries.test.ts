import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { openSharedDuck } from '../../src/io/duck.js';
import { excludedExamples, filesRelation } from '../../src/report/queries.js';
import { tempDir } from '../helpers/fixtures.js';

interface Row {
  id: string | null;
  source: string | null;
  source_row: number | null;
  stage: string;
  reason: string;
  detail: string | null;
  bytes: number;
}

/** `ORDER BY id, source, source_row NULLS FIRST, stage, detail` (NULLS LAST elsewhere), as the report documents. */
function byDocumentedOrder(a: Row, b: Row): number {
  const last = (x: string | null, y: string | null) => (x === y ? 0 : x === null ? 1 : y === null ? -1 : x < y ? -1 : 1);
  const rowFirst = (x: number | null, y: number | null) => (x === y ? 0 : x === null ? -1 : y === null ? 1 : x - y);
  return last(a.id, b.id) || last(a.source, b.source) || rowFirst(a.source_row, b.source_row) || last(a.stage, b.stage) || last(a.detail, b.detail);
}

test('excluded examples: the first n of each reason in the documented order, ties and nulls included', async () => {
  const rows: Row[] = [];
  const reasons = ['duplicate', 'no_match', 'too_long'];
  // few distinct ids, sources and rows, so that most orderings are decided by the later keys
  for (let i = 0; i < 400; i++) {
    rows.push({
      id: i % 37 === 0 ? null : `r${i % 5}`,
      source: i % 11 === 0 ? null : `s${i % 2}`,
      source_row: i % 7 === 0 ? null : i % 3,
      stage: `${i % 2}:stage`,
      reason: reasons[i % 3],
      detail: i % 4 === 0 ? null : `d${i % 3}`,
      bytes: i,
    });
  }
  const file = path.join(tempDir(), 'excluded.jsonl');
  writeFileSync(file, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
  const duck = await openSharedDuck();
  try {
    const got = await excludedExamples(duck.connection, filesRelation([file]), 3);
    const want = reasons.flatMap((reason) =>
      rows
        .filter((r) => r.reason === reason)
        .sort(byDocumentedOrder)
        .slice(0, 3)
        .map((r) => [r.id, r.source, r.source_row, r.stage, r.detail]),
    );
    assert.deepEqual(
      got.map((e) => [e.id === 'null' ? null : e.id, e.source === '' ? null : e.source, e.source_row, e.stage, e.detail]),
      want,
    );
  } finally {
    duck.close();
  }
});
