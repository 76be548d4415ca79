import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { BatchBuilder } from '../core/batch.js';
import { InputError, ThresherError } from '../core/errors.js';
import type { ExcludedRecord } from '../core/record.js';
import { readColumnar } from '../io/columnar/format.js';
import { readInputs } from './inputs-file.js';
import type { InputFile, ReadBatch, ReadItem } from '../io/types.js';
import { checkFilesUnchanged, followsLinks } from './input-check.js';
import { createTaskReader } from './io.js';
import { readMarker } from './markers.js';
import type { Segment } from './plan.js';
import type { TaskContext } from './task.js';

/** What a segment task reads at a time: a batch of records, and exclusions the reader made. */
export type SourceChunk = ReadBatch;

export const BATCH_ROWS = 4096;

/**
 * Readers name files by their source name (relative to the input root, as provenance
 * keeps them); an error that stops the run names the path the user can open.
 */
async function* withFullPaths<T>(items: AsyncIterable<T>, files: InputFile[]): AsyncGenerator<T> {
  try {
    yield* items;
  } catch (err) {
    const file = err instanceof InputError ? files.find((f) => f.path === err.file) : undefined;
    if (!file || !(err instanceof InputError)) throw err;
    throw new InputError(file.absPath, err.problem, { row: err.row, record: err.record });
  }
}

async function* inArrays(items: AsyncIterable<ReadItem>): AsyncGenerator<ReadItem[]> {
  for await (const item of items) yield [item];
}

/** Reader items grouped into batches; exclusions travel with the batch they came before (exported for the test that holds readBatches to it). */
export async function* batched(chunks: AsyncIterable<ReadItem[]>, columns: readonly string[], batchRows = BATCH_ROWS): AsyncGenerator<SourceChunk> {
  const builder = new BatchBuilder(columns, batchRows);
  let excluded: ExcludedRecord[] = [];
  for await (const items of chunks) {
    for (const item of items) {
      if (item.excluded) {
        excluded.push(item.excluded);
        if (excluded.length >= batchRows) {
          yield { excluded };
          excluded = [];
        }
      } else if (builder.add(item.record)) {
        yield { batch: builder.take(), excluded };
        excluded = [];
      }
    }
  }
  if (builder.count > 0 || excluded.length > 0) yield { batch: builder.count > 0 ? builder.take() : undefined, excluded };
}

/** The last listing a thread parsed, and the file's identity then. */
let planned: { key: string; files: InputFile[] } | undefined;

/**
 * The run's input listing. A worker thread runs many tasks of one run, and each used to parse
 * the whole listing again (a few hundred bytes a file: 60 MB at 300k files), so the last one
 * parsed is kept while the file is the same (path, inode, size, mtime).
 */
function plannedInputs(file: string): InputFile[] {
  const st = statSync(file);
  const key = `${file}\0${st.ino}\0${st.size}\0${st.mtimeMs}`;
  if (planned?.key !== key) planned = { key, files: readInputs(file) };
  return planned.files;
}

/** The task's input files are checked against the plan before the first record and after the last (by the reader as it opens each file, when it can). */
async function* readInput(ctx: TaskContext, rank: number): AsyncGenerator<SourceChunk> {
  const reader = await createTaskReader(ctx.pipeline, ctx.run.input_columns);
  const files = plannedInputs(ctx.layout.inputsFile);
  const slices = reader.slices(files, rank, ctx.run.world_size);
  const mine = new Set(slices.map((s) => s.file));
  const follow = followsLinks(ctx.pipeline);
  const check = () => (reader.checksListedFiles ? undefined : checkFilesUnchanged(mine, follow));
  check();
  const policy = ctx.pipeline.spec.on_bad_input;
  if (reader.readBatches) {
    yield* withFullPaths(reader.readBatches(slices, policy, BATCH_ROWS), files);
  } else {
    const chunks = reader.readChunks ? reader.readChunks(slices, policy) : inArrays(reader.read(slices, policy));
    yield* batched(
      withFullPaths(chunks, files),
      ctx.run.input_columns.map((c) => c.name),
    );
  }
  check();
}

/**
 * What segment k > 0 reads: the intermediate files segment k-1's marker for this rank names,
 * and no other file in that folder. A named file that is gone is an error, never an empty input.
 */
async function* readPreviousSegment(ctx: TaskContext, segment: Segment, rank: number): AsyncGenerator<SourceChunk> {
  const before = `segment-${segment.index - 1}`;
  const marker = readMarker(ctx.layout, before, rank);
  if (!marker) throw new ThresherError(`${ctx.layout.marker(before, rank)}: task ${before}/${rank} is not complete; its output is this task's input`);
  const dataDir = ctx.layout.segmentDataDir(segment.index - 1);
  const files = marker.outputs.map((o) => path.join(ctx.layout.workDir, o.path)).filter((f) => path.dirname(f) === dataDir);
  for (const f of files) if (!existsSync(f)) throw new ThresherError(`${f}: output of ${before}/${rank} is missing (rerun that task with \`thresher task --force\`, or the run with --fresh)`);
  for (const f of files) for (const batch of readColumnar(f)) yield { batch, excluded: [] };
}

export function segmentSource(ctx: TaskContext, segment: Segment, rank: number): AsyncIterable<SourceChunk> {
  return segment.index === 0 ? readInput(ctx, rank) : readPreviousSegment(ctx, segment, rank);
}
