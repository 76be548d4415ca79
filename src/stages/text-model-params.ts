/** What the text-model stages (`embed`, `ner`, `pii`'s model name detector) share: where the model is and how it runs. */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { StageEnv } from '../core/stage.js';

export const textModelParams = {
  /** A model folder in the hub layout (relative to the pipeline file) or a hub id. */
  model: z.string().min(1),
  /** ONNX file variant: `onnx/model{variant}.onnx` ('', '_quantized', '_fp16', ...). */
  variant: z.string().default(''),
  /** auto: CUDA when ONNX Runtime's CUDA provider is installed, else CPU. */
  device: z.enum(['auto', 'cuda', 'cpu']).default('auto'),
  /** Texts per model call. */
  batch_size: z.number().int().min(1).default(32),
  /** Threads per model session; default 1 in a worker thread, ONNX Runtime's default otherwise. */
  threads: z.number().int().min(1).optional(),
  /** Column holding the text; default: the pipeline's content column. */
  text_column: z.string().min(1).optional(),
};

/** A model parameter as a local folder (relative to the pipeline file) when there is one, else as given (a hub id). */
export function modelSource(model: string, env: StageEnv): string {
  const local = path.resolve(env.baseDir, model);
  return existsSync(local) ? local : model;
}

/** The texts of `rows` (non-strings skipped) with the rows they came from. */
export function rowTexts(values: readonly unknown[] | undefined, rows: Int32Array): { rows: number[]; texts: string[] } {
  const out = { rows: [] as number[], texts: [] as string[] };
  for (let k = 0; k < rows.length; k++) {
    const v = values?.[rows[k]];
    if (typeof v === 'string' && v !== '') {
      out.rows.push(rows[k]);
      out.texts.push(v);
    }
  }
  return out;
}
