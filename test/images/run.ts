import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { thresherAsync } from '../helpers/cli.js';

/**
 * Runs the CLI without blocking this process: the image host lives in the test process, and
 * spawnSync would stop it from answering.
 */
export async function runCli(args: string[]): Promise<{ status: number | null; stderr: string }> {
  const child = thresherAsync(args);
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdout?.resume();
  const status = await new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { status, stderr };
}

export interface PoolRow {
  id: string;
  url: string;
  caption: string;
  sha256?: string;
}

/** A URL table as JSONL and a pipeline that downloads it (stages given as YAML lines). */
export function writeUrlPipeline(dir: string, rows: PoolRow[], stages: string, tasks = 2): string {
  const input = path.join(dir, 'pool.jsonl');
  writeFileSync(input, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
  const file = path.join(dir, 'pipeline.yaml');
  writeFileSync(
    file,
    `name: images
input:
  type: jsonl
  path: ${JSON.stringify(input)}
  id_field: id
  content_field: caption
  split_min_bytes: 1
stages:
${stages}
output:
  path: out
execution:
  tasks: ${tasks}
`,
  );
  return file;
}

/** The released shards (name → bytes) of the release at `release`. */
export function releasedShards(release: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const artifacts = path.join(release, 'artifacts');
  if (!existsSync(artifacts)) return out;
  for (const stage of readdirSync(artifacts)) {
    const dir = path.join(artifacts, stage, 'shards');
    if (existsSync(dir)) for (const name of readdirSync(dir).sort()) out.set(name, readFileSync(path.join(dir, name)));
  }
  return out;
}
