/**
 * One measured run of the demo pipeline in a fresh process, so peak RSS belongs to it alone.
 * argv: <input dir> <out dir> <workers> <tasks>; prints one JSON line.
 */
import { rmSync } from 'node:fs';
import { runPipeline } from '../src/executors/run-pipeline.js';
import { writeDemoPipeline } from '../src/cli/demo.js';

const [input, out, workers, tasks] = process.argv.slice(2);
rmSync(out, { recursive: true, force: true });
const file = writeDemoPipeline(out, input, Number(tasks));
const t0 = performance.now();
const result = await runPipeline(file, { workers: Number(workers) });
const seconds = (performance.now() - t0) / 1000;
const read = result.stats.stages.read;
console.log(
  JSON.stringify({
    seconds,
    workers: Number(workers),
    tasks: Number(tasks),
    files_in: result.manifest.counts.input_records,
    bytes_in: read?.bytes_in ?? 0,
    files_out: result.manifest.counts.output_records,
    duplicates: result.manifest.counts.excluded.duplicate ?? 0,
    peak_rss_mb: process.resourceUsage().maxRSS / 1024,
    stage_ms: Object.fromEntries(Object.entries(result.stats.stages).map(([k, s]) => [k, s.ms])),
  }),
);
