import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { runInline } from '../../src/executors/inline.js';
import { readShards } from '../../src/engine/shard-reader.js';
import { withDuck, sqlString } from '../../src/io/duck.js';
import { decontaminateStage } from '../../src/stages/decontaminate.js';
import type { MapStage } from '../../src/core/stage.js';
import { processOne } from '../../src/core/processor.js';
import { normalize } from '../../src/decontam/normalize.js';
import { makeCodeTree, tempDir, writePipeline } from '../helpers/fixtures.js';
import { disguise, typescriptFunctions } from '../decontam/helpers.js';

/**
 * A HumanEval-shaped benchmark from real code: every top-level function of TypeScript's
 * compiler as {task_id, prompt: its first line, canonical_solution: the rest}. Prompts are
 * mostly shorter than min_length: they are counted as ignored, never matched.
 */
function writeBenchmark(file: string): { prompt: string; canonical_solution: string }[] {
  const rows = typescriptFunctions().map((fn, i) => {
    const nl = fn.indexOf('\n');
    return { task_id: `ts/${i}`, prompt: fn.slice(0, nl + 1), canonical_solution: fn.slice(nl + 1) };
  });
  writeFileSync(file, gzipSync(rows.map((r) => JSON.stringify(r)).join('\n') + '\n'));
  return rows;
}

test('decontaminate drops exactly the files that contain a benchmark solution, planted re-indented and upper-cased', async (t) => {
  const dir = tempDir();
  const input = makeCodeTree(dir, ['commander', 'cli-progress', 'fzstd', 'yaml']);
  mkdirSync(path.join(dir, 'bench'));
  const rows = writeBenchmark(path.join(dir, 'bench', 'ts-functions.jsonl.gz'));
  // plant a long solution in the middle of one real file
  const k = rows.findIndex((r, i) => i > 1000 && normalize(r.canonical_solution, 'remove').length > 400);
  const host = path.join(input, 'cli-progress', 'lib', 'eta.js');
  const original = readFileSync(host, 'utf8');
  const cut = original.indexOf('\n', original.length >> 1);
  writeFileSync(host, original.slice(0, cut) + '\n' + disguise(rows[k].prompt + rows[k].canonical_solution) + '\n' + original.slice(cut));
  // and a Parquet benchmark whose one long item sits in a yaml file
  const yamlFile = path.join(input, 'yaml', 'dist', 'compose', 'composer.js');
  const yamlText = readFileSync(yamlFile, 'utf8');
  const snippet = yamlText.slice(yamlText.indexOf('\n', 2000) + 1, yamlText.indexOf('\n', 2600));
  await withDuck(async (c) => {
    await c.run(
      `COPY (SELECT * FROM (VALUES ('short one', 'x = 1'), ('from yaml', ${sqlString(snippet.replace(/\n/g, '\n    '))})) v(question, code)) TO ${sqlString(path.join(dir, 'bench', 'other.parquet'))} (FORMAT parquet)`,
    );
  });

  const pipeline = writePipeline(dir, input, {
    tasks: 3,
    stages: `  - decontaminate:
      benchmarks:
        - { path: bench/ts-functions.jsonl.gz, fields: [prompt, canonical_solution], name: ts-functions }
        - { path: bench/other.parquet, fields: [code] }`,
  });
  const t0 = performance.now();
  const result = await runInline(pipeline);
  const seconds = (performance.now() - t0) / 1000;
  const stage = result.stats.stages['0:decontaminate'];
  assert.deepEqual(stage.excluded, { contaminated: 2 });
  const c = stage.counters;
  assert.equal(c['decontam:items'], rows.length * 2 + 2, 'every field of every row, counted once (rank 0)');
  assert.equal(c['decontam:items_used'] + c['decontam:items_short'] + c['decontam:items_duplicate'], c['decontam:items']);
  assert.ok(c['decontam:items_short'] > rows.length * 0.5, `one-line prompts are mostly too short to search for: ${JSON.stringify(c)}`);
  assert.equal(c['decontam:hits:ts-functions'], 1);
  assert.equal(c['decontam:hits:other.parquet'], 1);

  const excludedFiles = result.manifest.files.filter((f) => f.path.startsWith('excluded/')).map((f) => path.join(result.dir, f.path));
  const dropped: Record<string, string> = {};
  for await (const r of readShards(excludedFiles)) if (r.reason === 'contaminated') dropped[r.id] = String(r.detail);
  assert.deepEqual(dropped, {
    'cli-progress/lib/eta.js': `contains ts-functions row ${k} canonical_solution`,
    'yaml/dist/compose/composer.js': 'contains other.parquet row 1 code',
  });
  const mb = stage.bytes_in / 1e6;
  t.diagnostic(`${stage.records_in} files (${mb.toFixed(1)} MB) against ${c['decontam:items_used']} items: stage ${stage.ms} ms over 3 tasks, whole run ${seconds.toFixed(1)} s`);
});

test('decontaminate: the whitespace rule decides what counts as the same text', () => {
  const dir = tempDir();
  const item = 'for (let i = 0; i < items.length; i++) { total += items[i].price * items[i].count; }';
  writeFileSync(path.join(dir, 'b.jsonl'), JSON.stringify({ solution: item }) + '\n');
  const make = (whitespace: string) =>
    decontaminateStage.create(decontaminateStage.params.parse({ benchmarks: [{ path: 'b.jsonl', fields: ['solution'] }], whitespace }), { contentColumn: 'content', baseDir: dir }) as MapStage;
  const reformatted = 'x();\nFOR (LET I=0; I<ITEMS.LENGTH; I++) {\n  TOTAL += ITEMS[I].PRICE * ITEMS[I].COUNT;\n}\n';
  const reindented = 'x();\n    for (let i = 0;   i < items.length; i++)\n    { total += items[i].price * items[i].count; }';
  return (async () => {
    const remove = make('remove');
    const collapse = make('collapse');
    await remove.open!({ step: 't', rank: 0, worldSize: 1, seed: 0, stageDir: '' });
    await collapse.open!({ step: 't', rank: 0, worldSize: 1, seed: 0, stageDir: '' });
    const why = (s: MapStage, content: string) => processOne(s, { id: 'f', content })?.detail;
    assert.equal(why(remove, reformatted), 'contains b.jsonl row 0 solution');
    assert.equal(why(remove, reindented), 'contains b.jsonl row 0 solution');
    assert.equal(why(collapse, reindented), 'contains b.jsonl row 0 solution');
    assert.equal(why(collapse, reformatted), undefined, 'collapse keeps `i=0` and `i = 0` apart');
    assert.equal(why(remove, reindented.replace('price', 'cost')), undefined);
    assert.deepEqual(remove.counters!(), {
      'decontam:checked': 3,
      'decontam:contaminated': 2,
      'decontam:hits:b.jsonl': 2,
      'decontam:items': 1,
      'decontam:items_used': 1,
      'decontam:items_short': 0,
      'decontam:items_duplicate': 0,
      'decontam:fields_empty': 0,
    });
  })();
});

test('decontaminate: a missing benchmark file or field is a one-line error naming it', async () => {
  const dir = tempDir();
  writeFileSync(path.join(dir, 'b.jsonl'), '{"prompt": "x"}\n');
  const open = (benchmarks: unknown) =>
    (decontaminateStage.create(decontaminateStage.params.parse({ benchmarks }), { contentColumn: 'content', baseDir: dir }) as MapStage).open!({
      step: 't',
      rank: 0,
      worldSize: 1,
      seed: 0,
      stageDir: '',
    });
  await assert.rejects(open([{ path: 'nope.jsonl', fields: ['prompt'] }]), /nope\.jsonl: cannot read the benchmark \(ENOENT\)/);
  await assert.rejects(open([{ path: 'b.jsonl', fields: ['solution'] }]), /b\.jsonl: no row has field solution \(the first row has: prompt\)/);
  await assert.rejects(open([{ path: 'b.csv', fields: ['x'] }]), /a benchmark is \.jsonl/);
  assert.throws(() => decontaminateStage.params.parse({ benchmarks: [] }));
});
