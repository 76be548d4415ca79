/**
 * `npm run bench`: runs every benchmark and writes one JSON file per benchmark to
 * bench/results/, plus a combined summary on stdout. Speed lives here, never in tests.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { hasShared, SHARED_ABSENT } from '../test/helpers/shared.js';
import { benchClipTokenizer } from './clip-tokenizer.js';
import { benchClipEmbed } from './clip-embed.js';
import { benchCodeStages } from './code-stages.js';
import { benchDemo } from './demo.js';
import { benchImages } from './images.js';
import { benchGit } from './git.js';
import { benchLanguage } from './language.js';
import { benchLanguagePeer } from './language-peer.js';
import { benchMetaclipE2E } from './metaclip-e2e.js';
import { benchMetaclipCuratePeer } from './metaclip-curate-peer.js';
import { benchMetaclipMatch } from './metaclip/match.js';
import { benchNearDedup } from './near-dedup.js';
import { benchSlurm } from './slurm.js';
import { benchTextEmbed } from './text-embed.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const outDir = path.join(repo, 'bench', 'results');
mkdirSync(outDir, { recursive: true });
const only = process.argv[2];
const machine = { node: process.version, cpus: os.cpus()[0]?.model, cores: os.availableParallelism(), memory_gb: Math.round(os.totalmem() / 2 ** 30) };
const benches: Record<string, () => Promise<Record<string, unknown>> | Record<string, unknown>> = {
  demo: benchDemo,
  'code-stages': benchCodeStages,
  'metaclip-match': () => benchMetaclipMatch(),
  'metaclip-e2e': () => benchMetaclipE2E(process.env.BENCH_SIZES ? process.env.BENCH_SIZES.split(',').map(Number) : undefined),
  language: () => benchLanguage(),
  'language-peer': () => benchLanguagePeer(),
  'metaclip-curate-peer': () => benchMetaclipCuratePeer(process.env.BENCH_SIZES ? process.env.BENCH_SIZES.split(',').map(Number) : undefined),
  'clip-tokenizer': () => benchClipTokenizer(),
  'clip-embed': () => benchClipEmbed(),
  'near-dedup': () => benchNearDedup(process.env.BENCH_NEAR_SIZES ? process.env.BENCH_NEAR_SIZES.split(',').map(Number) : undefined),
  slurm: benchSlurm,
  images: () => benchImages(),
  git: benchGit,
  'text-embed': () => benchTextEmbed(),
};
/** Benchmarks that read ../shared/ (through test/helpers/shared.ts); skipped without it. */
const needShared = new Set(['metaclip-match', 'metaclip-e2e', 'language', 'metaclip-curate-peer', 'clip-tokenizer', 'clip-embed', 'images']);
for (const [name, fn] of Object.entries(benches)) {
  if (only && only !== name) continue;
  if (needShared.has(name) && !hasShared) {
    process.stderr.write(`bench ${name} ${SHARED_ABSENT}\n`);
    continue;
  }
  process.stderr.write(`bench ${name}…\n`);
  const result = { ...(await fn()), machine, date: new Date().toISOString() };
  writeFileSync(path.join(outDir, `${name}.json`), JSON.stringify(result, null, 1) + '\n');
  console.log(JSON.stringify(result));
}
