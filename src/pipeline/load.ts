import { readFileSync } from 'node:fs';
import path from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import { PipelineError } from '../core/errors.js';
import { sha256Hex } from '../core/hashing.js';
import type { StageDefinition, StageEnv } from '../core/stage.js';
import { findStage, stageNames } from '../stages/registry.js';
import { describeIssues, yamlLocator, type PathSegment } from './errors.js';
import { checkInputSpec } from './input-spec.js';
import { FILE_INPUT_TYPES } from '../io/open.js';
import { outputInsideInput } from './output-check.js';
import { pipelineSchema, type PipelineSpec } from './schema.js';
import { configureS3 } from '../io/storage/config.js';

export interface ResolvedStage<D extends StageDefinition = StageDefinition> {
  /** position in the pipeline, used for stable folder names */
  index: number;
  name: string;
  definition: D;
  params: unknown;
  /** `:line:col` of the stage in the pipeline file, for messages */
  at: string;
}

export interface LoadedPipeline {
  /** absolute path of the pipeline file */
  file: string;
  text: string;
  sha256: string;
  spec: PipelineSpec;
  stages: ResolvedStage[];
  env: StageEnv;
  /** where `input.path` and `output.path` resolve from */
  baseDir: string;
  /** the file as the user named it, for messages */
  shown: string;
}

/** The column that holds a record's content: the input's `content_field`, else `content` for file inputs and `text` for the others. */
export function contentColumnOf(input: { type: string; content_field?: unknown }): string {
  return typeof input.content_field === 'string' ? input.content_field : FILE_INPUT_TYPES.includes(input.type) ? 'content' : 'text';
}

/** Read and validate a pipeline file; every problem becomes one line in a PipelineError. */
export async function loadPipelineFile(file: string): Promise<LoadedPipeline> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new PipelineError(`${file}: cannot read pipeline file (${code === 'ENOENT' ? 'no such file' : (code ?? String(err))})`);
  }
  return parsePipeline(text, path.resolve(file), path.dirname(path.resolve(file)), file);
}

/** `shown` is how messages name the file: the path as the user gave it. */
export async function parsePipeline(text: string, file: string, baseDir: string, shown = file): Promise<LoadedPipeline> {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    // The first error is the cause; later ones are usually its echoes.
    const e = doc.errors[0];
    const pos = lineCounter.linePos(e.pos[0]);
    throw new PipelineError(`${shown}:${pos.line}:${pos.col}: not valid YAML/JSON: ${e.message.split('\n')[0]}`);
  }
  const data: unknown = doc.toJS();
  const locate = yamlLocator(doc, lineCounter);
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new PipelineError(`${shown}:1:1: expected a map with input, stages and output, found ${data === null ? 'an empty document' : Array.isArray(data) ? 'a list' : typeof data}`);
  }
  const parsed = pipelineSchema.safeParse(data);
  if (!parsed.success) {
    throw new PipelineError(describeIssues(shown, parsed.error.issues, data, locate).join('\n'));
  }
  const spec = parsed.data;
  configureS3({ endpoint: spec.execution.s3.endpoint, forcePathStyle: spec.execution.s3.force_path_style }); // this process's (or thread's) S3 client
  const env: StageEnv = {
    contentColumn: contentColumnOf(spec.input),
    baseDir,
    stages: spec.stages.map((entry) => (typeof entry === 'string' ? { name: entry, params: {} } : { name: Object.keys(entry)[0], params: Object.values(entry)[0] ?? {} })),
  };
  const problems: string[] = [];
  const inputIssues = checkInputSpec(spec.input as Record<string, unknown>);
  problems.push(...describeIssues(shown, inputIssues, spec.input, locate, ['input']));
  const overlapping = outputInsideInput(spec.input.path, spec.output.path, baseDir);
  if (overlapping !== undefined) {
    problems.push(
      `${shown}${locate(['output', 'path'])}: output.path ${JSON.stringify(spec.output.path)} is inside input ${JSON.stringify(overlapping)}: runs would read their own output; put the output elsewhere`,
    );
  }
  const stages: ResolvedStage[] = [];
  const names = spec.stages.map((entry) => (typeof entry === 'string' ? entry : Object.keys(entry)[0]));
  const definitions = await Promise.all(names.map((name) => findStage(name)));
  spec.stages.forEach((entry, index) => {
    const name = names[index];
    const rawParams = typeof entry === 'string' ? {} : ((entry as Record<string, unknown>)[name] ?? {});
    const at: PathSegment[] = typeof entry === 'string' ? ['stages', index] : ['stages', index, name];
    const definition = definitions[index];
    if (!definition) {
      problems.push(`${shown}${locate(['stages', index])}: stages[${index}]: unknown stage ${JSON.stringify(name)} (known: ${stageNames().join(', ')})`);
      return;
    }
    const result = (definition.params as z.ZodType).safeParse(rawParams);
    if (!result.success) {
      problems.push(...describeIssues(shown, result.error.issues, rawParams, locate, at));
      return;
    }
    stages.push({ index, name, definition, params: result.data, at: locate(['stages', index]) });
  });
  if (problems.length > 0) throw new PipelineError(problems.join('\n'));
  return { file, text, sha256: sha256Hex(text), spec, stages, env, baseDir, shown };
}
