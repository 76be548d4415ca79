import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import type { RecordBatch } from '../../src/core/batch.js';
import { batched } from '../../src/engine/segment-source.js';
import type { ExcludedRecord } from '../../src/core/record.js';
import { JsonlReader, type JsonlReaderOptions } from '../../src/io/readers/jsonl.js';
import { JsonFieldScanner, PLAIN_STRING, ESCAPED_STRING, OTHER } from '../../src/io/readers/json-fields.js';
import { tempDir } from './helpers.js';

/** Lines that exercise every route of the byte scanner and its fallbacks. */
const LINES = [
  '{"id":"a","text":"plain ascii","n":1,"tags":["x","y"],"ok":true}',
  '{"id":"b","text":"caf\u00e9 \u6771\u4eac \ud83d\ude00","n":2.5,"ok":false}', // multi-byte and astral characters as raw UTF-8
  '{"id":"c","text":"esc \\"q\\" \\\\ \\n \\t \\u00e9 \\ud83d\\ude00 \\ud800","n":-3e2}', // escapes, a lone surrogate
  '  { "text" : "spaces around" , "id" : 7 , "n" : null }  ',
  '{"id":"d","text":"crlf line"}\r',
  '{"id":"dup","text":"first","text":"last wins"}',
  '{"id":"e","text":null}',
  '{"id":"f"}',
  '{"id":"g","text":5}',
  '{"id":{"x":1},"text":"object id"}',
  '{"id":"h","text":"bad escape \\x"}',
  '{"id":"i","text":"raw\ttab"}',
  '{"id":"j","text":"trailing comma",}',
  '{"id":"k","text":"unclosed}',
  '[1,2,3]',
  '',
  '   ',
  'not json',
  '{"id":"l","text":"n is a string","n":"12"}',
  '{"id":"m","text":"nested","meta":{"a":[1,{"b":"}"}],"c":"]"}}',
  '{"id":"n","te\\u0078t":"escaped key"}',
  '{"id":"o","text":"","n":0}',
  '{"id":"p","text":"number-like id"}',
  '{"id":1.5,"text":"float id"}',
  '{"id":true,"text":"bool id"}',
  '{"id":"q","text":"bad literal","ok":tru}',
  '{"id":"r","text":"leading zero","n":01}',
  '{}',
];

const wellFormed = (s: string) => s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');

function rowsOf(batch: RecordBatch): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (let i = 0; i < batch.length; i++) {
    const r = batch.record(i);
    out.push(
      Object.fromEntries(
        Object.keys(r)
          .sort()
          .map((k) => [k, r[k]]),
      ),
    );
  }
  return out;
}

/** read() grouped as the engine used to group it, and readBatches(): same rows, exclusions and boundaries. */
async function bothRoutes(file: string, options: JsonlReaderOptions, batchRows: number) {
  const slow = new JsonlReader(file, options);
  const fast = new JsonlReader(file, options);
  const slowFiles = await slow.listFiles();
  const fastFiles = await fast.listFiles();
  const slowOut: { rows: Record<string, unknown>[]; excluded: ExcludedRecord[] }[] = [];
  for await (const b of batched(
    slow.readChunks(slow.slices(slowFiles, 0, 1), 'quarantine'),
    slow.columns.map((c) => c.name),
    batchRows,
  )) {
    // UTF-8 cannot hold a lone surrogate: bytes hold U+FFFD, as every writer writes it
    const rows = b.batch ? rowsOf(b.batch).map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'string' ? wellFormed(v) : v]))) : [];
    slowOut.push({ rows, excluded: b.excluded });
  }
  const fastOut: { rows: Record<string, unknown>[]; excluded: ExcludedRecord[] }[] = [];
  for await (const b of fast.readBatches(fast.slices(fastFiles, 0, 1), 'quarantine', batchRows)) fastOut.push({ rows: b.batch ? rowsOf(b.batch) : [], excluded: b.excluded });
  return { slowOut, fastOut };
}

test('readBatches gives the same rows, exclusions and batch boundaries as read() on tricky lines', async (t) => {
  const dir = tempDir(t);
  const file = path.join(dir, 'tricky.jsonl');
  // the last line holds a byte that is not UTF-8: write it raw
  writeFileSync(file, Buffer.concat([Buffer.from('\ufeff' + LINES.join('\n') + '\n', 'utf8'), Buffer.from([0x7b, 0x22, 0x74, 0xff, 0x22, 0x7d, 0x0a])]));
  for (const options of [
    { idField: 'id', contentField: 'text', contentId: 'swh' as const },
    { contentField: 'text', contentId: 'xxh3' as const },
    {
      idField: 'id',
      contentField: 'text',
      contentId: 'none' as const,
      columns: [
        { name: 'n', type: 'float64' as const },
        { name: 'ok', type: 'bool' as const },
        { name: 'meta', type: 'string' as const },
      ],
    },
  ]) {
    for (const batchRows of [1, 3, 4096]) {
      const { slowOut, fastOut } = await bothRoutes(file, options, batchRows);
      assert.deepEqual(fastOut, slowOut, `${JSON.stringify(options)} batchRows ${batchRows}`);
    }
  }
  // and the fast route did take the ordinary lines from their bytes
  const { fastOut } = await bothRoutes(file, { idField: 'id', contentField: 'text', contentId: 'none' }, 4096);
  const rows = fastOut.flatMap((b) => b.rows);
  assert.ok(rows.some((r) => r.text === 'caf\u00e9 \u6771\u4eac \ud83d\ude00'));
  assert.ok(rows.some((r) => r.text === 'last wins'));
  assert.ok(fastOut.flatMap((b) => b.excluded).some((e) => e.reason === 'bad_record' && /UTF-8/.test(e.detail ?? '')));
});

test('the field scanner reports plain strings as byte ranges with their UTF-16 length', () => {
  const s = new JsonFieldScanner(['text', 'n', 'id']);
  const line = Buffer.from('{"id":"x","text":"é😀a","n":[1,"]"]}', 'utf8');
  assert.equal(s.scan(line, 0, line.length), true);
  assert.equal(s.kind[0], PLAIN_STRING);
  assert.equal(line.toString('utf8', s.start[0], s.end[0]), 'é😀a');
  assert.equal(s.units[0], 'é😀a'.length);
  assert.equal(s.kind[1], OTHER);
  assert.deepEqual(s.value[1], [1, ']']);
  const escaped = Buffer.from('{"text":"a\\u00e9"}', 'utf8');
  assert.equal(s.scan(escaped, 0, escaped.length), true);
  assert.equal(s.kind[0], ESCAPED_STRING);
  assert.equal(s.value[0], 'aé');
  for (const bad of ['{"text":"a"', '{"text":"a"}x', '{"text" "a"}', '{"text":"\\q"}', '{"text":01}', '{"text":"a",}']) {
    const b = Buffer.from(bad, 'utf8');
    assert.equal(s.scan(b, 0, b.length), false, bad);
  }
});
