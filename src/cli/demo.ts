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

export function demoPipeline(input: string, tasks: number): string {
  return `# The embedded default: curate the code in thresher's own node_modules.
name: node-modules-demo
input:
  type: directory
  path: ${JSON.stringify(input)}
on_bad_input: quarantine
stages:
  - language: {}
  - file_filter: {}
  - dedup_exact:
      priority: [repo, path]
  - near_dedup:
      priority: [repo, path]
output:
  path: .
  format: parquet
  description: Source files from thresher's installed npm dependencies, language-tagged, filtered the way The Stack v2 filters files, and exact-deduplicated.
execution:
  tasks: ${tasks}
  seed: 0
`;
}

/** Writes the demo pipeline into `outDir` (its releases go beside it) and returns its path. */
export function writeDemoPipeline(outDir: string, input: string, tasks: number): string {
  if (!existsSync(input)) throw new ThresherError(`${input}: demo input not found (run \`npm ci\` first, or pass --input DIR)`);
  mkdirSync(outDir, { recursive: true });
  const file = path.join(outDir, 'pipeline.yaml');
  const text = demoPipeline(path.relative(outDir, path.resolve(input)) || '.', tasks); // relative: the pipeline is released with the data
  if (!existsSync(file) || readFileSync(file, 'utf8') !== text) writeFileSync(file, text);
  return file;
}

export async function topValues(releaseDir: string, column: string, limit: number): Promise<{ value: string | null; count: number }[]> {
  return withDuck(async (connection) => {
    const glob = sqlString(path.join(releaseDir, 'data', '*.parquet'));
    const reader = await connection.runAndReadAll(`SELECT ${sqlIdent(column)} AS v, count(*) AS n FROM read_parquet(${glob}) GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT ${limit}`);
    return reader.getRows().map((r) => ({ value: r[0] === null ? null : String(r[0]), count: Number(r[1]) }));
  });
}
