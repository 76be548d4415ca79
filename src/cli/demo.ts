import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sqlIdent, sqlString, withDuck } from '../io/duck.js';
import { ThresherError } from '../core/errors.js';

/** The project's own installed packages: real code, many licences, real duplicates. */
export function defaultDemoInput(): string {
  // dist/src/cli/demo.js → package root
  return fileURLToPath(new URL('../../../node_modules', import.meta.url));
}

/** `directory`: a folder of files (node_modules by default); `git`: a folder of git repositories at HEAD. */
export type DemoInput = 'directory' | 'git';

export function demoPipeline(input: string, tasks: number, type: DemoInput = 'directory'): string {
  return `# The embedded default: curate the code in thresher's own node_modules the way The Stack v2
# was made: opt-outs, language, licences, file filters, decontamination, exact and near dedup, then
# secrets and personal data redacted.
name: node-modules-demo
input:
  type: ${type}
  path: ${JSON.stringify(input)}
on_bad_input: quarantine
stages:
  - optout:
      registry: optout.yaml          # a demo registry: one package opted out
  - language: {}
  - license:
      keep: [permissive, no_license] # as The Stack v2
  - file_filter: {}
  - decontaminate:
      benchmarks:
        - { path: benchmark.jsonl, fields: [prompt] }
  - dedup_exact:
      priority: [repo, path]
  - near_dedup:
      priority: [repo, path]
  - secrets: {}
  - pii: {}
output:
  path: .
  format: parquet
  description: Source files from thresher's installed npm dependencies, curated the way The Stack v2 was made (opt-outs, permissive licences, file filters, decontamination, exact and near dedup, secrets and personal data redacted).
execution:
  tasks: ${tasks}
  seed: 0
`;
}

/** The package the demo registry opts out: a direct dependency, so every install has it. */
export const DEMO_OPTED_OUT = 'cli-progress';

const DEMO_REGISTRY = `# Opt-out registry of the demo: owners, owner/repo or package names, each with a date and a reason.
entries:
  - package: ${DEMO_OPTED_OUT}
    date: 2026-11-30
    reason: demo entry, to show an opt-out applied to every release
`;

/**
 * A demo "benchmark": one item, an excerpt of a real file of the input (found at run time, never
 * shipped), so the demo shows decontamination finding it. Real benchmarks are user-given files.
 */
function demoBenchmark(input: string): string {
  const file = path.join(input, 'yaml', 'dist', 'compose', 'composer.js');
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const item = text.length > 1200 ? text.slice(600, 1000) : 'no excerpt: yaml/dist/compose/composer.js was not found in the demo input';
  return JSON.stringify({ task_id: 'demo/0', prompt: item }) + '\n';
}

/** Writes the demo pipeline, its registry and its benchmark into `outDir` (releases go beside them) and returns the pipeline's path. */
export function writeDemoPipeline(outDir: string, input: string, tasks: number, type: DemoInput = 'directory'): string {
  if (!existsSync(input)) throw new ThresherError(`${input}: demo input not found (run \`npm ci\` first, or pass --input DIR)`);
  mkdirSync(outDir, { recursive: true });
  const file = path.join(outDir, 'pipeline.yaml');
  const text = demoPipeline(path.relative(outDir, path.resolve(input)) || '.', tasks, type); // relative: the pipeline is released with the data
  writeIfChanged(file, text);
  writeIfChanged(path.join(outDir, 'optout.yaml'), DEMO_REGISTRY);
  writeIfChanged(path.join(outDir, 'benchmark.jsonl'), demoBenchmark(path.resolve(input)));
  return file;
}

/** An unchanged file keeps its bytes and time: a rerun of the demo resumes instead of starting over. */
function writeIfChanged(file: string, text: string): void {
  if (!existsSync(file) || readFileSync(file, 'utf8') !== text) writeFileSync(file, text);
}

export async function topValues(releaseDir: string, column: string, limit: number): Promise<{ value: string | null; count: number }[]> {
  return withDuck(async (connection) => {
    const glob = sqlString(path.join(releaseDir, 'data', '*.parquet'));
    const reader = await connection.runAndReadAll(`SELECT ${sqlIdent(column)} AS v, count(*) AS n FROM read_parquet(${glob}) GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT ${limit}`);
    return reader.getRows().map((r) => ({ value: r[0] === null ? null : String(r[0]), count: Number(r[1]) }));
  });
}
