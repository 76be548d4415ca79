/**
 * One measured pipeline run in a fresh process, so peak RSS belongs to it alone.
 * argv: <pipeline file> <workers>; prints one JSON line.
 */
import { runPipeline } from '../src/executors/run-pipeline.js';

const [file, workers] = process.argv.slice(2);
const t0 = performance.now();
const result = await runPipeline(file, { workers: Number(workers), fresh: true });
console.log(
  JSON.stringify({
    seconds: (performance.now() - t0) / 1000,
    workers: Number(workers),
    records_in: result.manifest.counts.input_records,
    records_out: result.manifest.counts.output_records,
    excluded: result.manifest.counts.excluded,
    peak_rss_mb: process.resourceUsage().maxRSS / 1024,
    stage_ms: Object.fromEntries(Object.entries(result.stats.stages).map(([k, s]) => [k, s.ms])),
    release: result.dir,
  }),
);
