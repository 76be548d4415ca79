import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { checkRelease, printCheck } from '../../src/cli/optout.js';
import { runInline } from '../../src/executors/inline.js';
import { makeCodeTree, tempDir, writePipeline } from '../helpers/fixtures.js';

test('optout check reads JSONL releases too, and names a missing column', async () => {
  const dir = tempDir();
  const input = makeCodeTree(dir, ['fzstd', 'cli-progress']); // fzstd is nested under cli-progress as well
  writeFileSync(path.join(dir, 'optout.yaml'), 'entries:\n  - package: cli-progress\n    date: 2024-05-01\n    reason: asked\n');
  const pipeline = writePipeline(dir, input, { tasks: 2, stages: '  - optout: { registry: optout.yaml }' });
  writeFileSync(pipeline, readFileSync(pipeline, 'utf8').replace('  path: out\n', '  path: out\n  format: jsonl.gz\n'));
  const { dir: release, manifest } = await runInline(pipeline);
  assert.ok(manifest.files.some((f) => f.path.endsWith('.jsonl.gz')));

  const fz = await checkRelease(release, 'fzstd', { limit: 3 });
  assert.equal(fz.presentTotal, manifest.counts.output_records, 'all that is left is fzstd, the nested copy included');
  assert.equal(fz.present.length, 3);
  assert.ok(fz.present.every((f) => f.file.startsWith('data/') && f.file.endsWith('.jsonl.gz') && f.repo.startsWith('fzstd@')));
  assert.deepEqual(Object.keys(fz.repositories).length, 1, 'the nested copy has the same name@version');
  const lines: string[] = [];
  assert.equal(
    printCheck(fz, (l) => lines.push(l)),
    true,
  );
  assert.match(lines.at(-2) ?? '', /… and \d+ more \(--limit\)/);

  const cp = await checkRelease(release, 'cli-progress');
  assert.equal(cp.presentTotal, 0);
  assert.equal(cp.removed.length, manifest.counts.excluded.opted_out);
  assert.equal(cp.idsFile, 'artifacts/0-optout/removed.jsonl');
  assert.equal(
    printCheck(cp, () => undefined),
    false,
  );

  assert.deepEqual(cp.removedListedIn, ['excluded/', 'artifacts/0-optout/removed.jsonl']);

  // a release written without excluded/ still tells what the opt-out removed, from its list
  writeFileSync(pipeline, readFileSync(pipeline, 'utf8').replace('  format: jsonl.gz\n', '  format: jsonl.gz\n  excluded: false\n'));
  const v2 = (await runInline(pipeline)).dir;
  const cp2 = await checkRelease(v2, 'cli-progress');
  assert.deepEqual(cp2.removed, cp.removed);
  assert.deepEqual(cp2.removedListedIn, ['artifacts/0-optout/removed.jsonl']);

  await assert.rejects(checkRelease(release, 'fzstd', { column: 'owner' }), /has no column "owner" \(columns: id, source, source_row, content_id, path, repo, size, content\)/);
  await assert.rejects(checkRelease(dir, 'fzstd'), /not a thresher release \(no manifest\.json\)/);
});
