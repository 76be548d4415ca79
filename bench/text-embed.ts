/**
 * `npm run bench -- text-embed`: tokens per CPU-second (one core) of the WordPiece and byte-level
 * BPE tokenizers on generated sentences (tiny vocabularies, so many pieces per word: a harsh
 * case); embeddings/s with the tiny generated Qwen-like model, whose own compute is negligible,
 * so the figure is the overhead outside the model; then SemDeDup on generated vectors (k-means,
 * per-cluster dedup) and the usearch index against a flat scan. Medians of PASSES.
 */
import path from 'node:path';
import { dedupCluster } from '../src/dedup/semantic/cluster-dedup.js';
import { kmeans, nearestCentroid, seededRandom } from '../src/dedup/semantic/kmeans.js';
import { buildIndex, exactNearest, searchIndex } from '../src/dedup/semantic/vector-index.js';
import { TextEmbedder } from '../src/models/text/embed.js';
import { TINY_WORDS, writeTinyEmbedder, writeTinyTokenClassifier } from '../src/models/text/tiny.js';
import { loadTokenizer, type TextTokenizer } from '../src/models/text/tokenizer.js';
import { tempDir } from '../test/helpers/fixtures.js';

const PASSES = 3;
const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[xs.length >> 1];
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

function sentences(count: number, seed: number): string[] {
  const random = seededRandom(seed);
  const words = [...TINY_WORDS, 'Unbelievable', 'naïve', 'Straße', 'données', 'running', 'x86_64', '2024', 'tokenizer'];
  return Array.from({ length: count }, () => Array.from({ length: 8 + Math.floor(random() * 16) }, () => words[Math.floor(random() * words.length)]).join(' ') + '.');
}

function tokensPerCpuSecond(tokenizer: TextTokenizer, texts: string[]): number {
  const rates: number[] = [];
  for (let p = 0; p < PASSES; p++) {
    const c0 = cpu();
    let tokens = 0;
    for (const t of texts) tokens += tokenizer.encode(t, 1 << 20).ids.length;
    rates.push(tokens / (cpu() - c0));
  }
  return Math.round(median(rates));
}

function unitRows(n: number, dim: number, seed: number, centres = 200): Float32Array {
  const random = seededRandom(seed);
  const c = Float32Array.from({ length: centres * dim }, () => random() * 2 - 1);
  const v = new Float32Array(n * dim);
  for (let r = 0; r < n; r++) {
    const base = Math.floor(random() * centres);
    let s = 0;
    for (let j = 0; j < dim; j++) s += (v[r * dim + j] = c[base * dim + j] + (random() * 2 - 1) * (r % 20 === 0 ? 0.01 : 0.5)) ** 2;
    for (let j = 0; j < dim; j++) v[r * dim + j] /= Math.sqrt(s);
  }
  return v;
}

async function semanticDedup(n: number, dim: number, k: number): Promise<Record<string, number>> {
  const vectors = unitRows(n, dim, 5);
  const t0 = performance.now();
  const fit = kmeans(vectors.subarray(0, Math.min(n, 100_000) * dim), dim, k, { seed: 1, maxIterations: 10 });
  const t1 = performance.now();
  const members: number[][] = Array.from({ length: k }, () => []);
  for (let r = 0; r < n; r++) members[nearestCentroid(vectors, r, fit.centroids, k, dim).index].push(r);
  let removed = 0;
  for (const list of members) {
    const sub = new Float32Array(list.length * dim);
    list.forEach((r, i) => sub.set(vectors.subarray(r * dim, (r + 1) * dim), i * dim));
    const keptFor = dedupCluster(
      sub,
      dim,
      list.map((_, i) => i),
      0.05,
    );
    for (const x of keptFor) if (x >= 0) removed++;
  }
  const t2 = performance.now();
  const index = buildIndex(vectors, dim);
  const t3 = performance.now();
  let agree = 0;
  const queries = 200;
  let flatMs = 0;
  let hnswMs = 0;
  for (let q = 0; q < queries; q++) {
    const query = vectors.slice(q * 97 * dim, (q * 97 + 1) * dim);
    const a = performance.now();
    const approx = searchIndex(index, query, 10).map((h) => h.key);
    const b = performance.now();
    const exact = exactNearest(vectors, dim, query, 10).map((h) => h.key);
    flatMs += performance.now() - b;
    hnswMs += b - a;
    agree += approx.filter((x) => exact.includes(x)).length / 10;
  }
  return {
    vectors: n,
    dim,
    clusters: k,
    kmeans_s: Number(((t1 - t0) / 1000).toFixed(2)),
    kmeans_iterations: fit.iterations,
    assign_and_dedup_s: Number(((t2 - t1) / 1000).toFixed(2)),
    removed,
    usearch_build_s: Number(((t3 - t2) / 1000).toFixed(2)),
    usearch_query_ms: Number((hnswMs / queries).toFixed(3)),
    flat_query_ms: Number((flatMs / queries).toFixed(3)),
    usearch_recall_at_10: Number((agree / queries).toFixed(4)),
  };
}

export async function benchTextEmbed(): Promise<Record<string, unknown>> {
  const dir = tempDir();
  const wordpiece = loadTokenizer(writeTinyTokenClassifier(path.join(dir, 'wp')));
  const qwenDir = writeTinyEmbedder(path.join(dir, 'qwen'));
  const bpe = loadTokenizer(qwenDir);
  const texts = sentences(20_000, 3);
  const result: Record<string, unknown> = {
    wordpiece_tokens_per_cpu_s: tokensPerCpuSecond(wordpiece, texts),
    bpe_tokens_per_cpu_s: tokensPerCpuSecond(bpe, texts),
  };
  const model = await TextEmbedder.load(qwenDir, { batchSize: 32, threads: 1 });
  const embedTexts = texts.slice(0, 4000);
  await model.embed(embedTexts.slice(0, 64));
  const rates: number[] = [];
  for (let p = 0; p < PASSES; p++) {
    const t0 = performance.now();
    await model.embed(embedTexts);
    rates.push(embedTexts.length / ((performance.now() - t0) / 1000));
  }
  await model.close();
  result.tiny_embeddings_per_s = Math.round(median(rates));
  result.semantic_dedup = await semanticDedup(Number(process.env.BENCH_SEMDEDUP_N ?? 100_000), 64, 100);
  return result;
}
