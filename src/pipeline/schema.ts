import { z } from 'zod';

/**
 * The pipeline file: input → ordered stages → output, plus how to execute it.
 * Stage parameters are validated by each stage's own schema (see registry), so the
 * top level only fixes the shape of a stage entry: a one-key map `{ <stage name>: {params} }`
 * or a bare stage name.
 */
export const stageEntrySchema = z.union([
  z.string(),
  z.record(z.string(), z.unknown()).refine((o) => Object.keys(o).length === 1, {
    message: 'a stage entry is one key, the stage name, mapping to its parameters',
  }),
]);

export const outputSchema = z.strictObject({
  /** Folder holding the versioned releases v1, v2, ... */
  path: z.string().min(1),
  format: z.enum(['parquet', 'jsonl', 'jsonl.gz']).default('parquet'),
  max_rows_per_shard: z.number().int().positive().default(100_000),
  max_bytes_per_shard: z
    .number()
    .int()
    .positive()
    .default(256 * 1024 * 1024),
  /** Also write the excluded records (without content) with their reasons. */
  excluded: z.boolean().default(true),
  /** A line for the dataset card. */
  description: z.string().optional(),
});

export const executionSchema = z.strictObject({
  /** world_size: the number of ranks every step is split into. Fixed per run. */
  tasks: z.number().int().positive().max(100_000).default(8),
  seed: z.number().int().nonnegative().default(0),
});

export const pipelineSchema = z.strictObject({
  name: z.string().min(1).default('pipeline'),
  /** Reader spec: `type` picks the reader; other keys are the reader's options. */
  input: z.looseObject({ type: z.enum(['directory', 'jsonl', 'json', 'parquet']), path: z.union([z.string(), z.array(z.string())]) }),
  /** fail: stop at the first bad file or record. quarantine: exclude it with its reason and go on. */
  on_bad_input: z.enum(['fail', 'quarantine']).default('quarantine'),
  stages: z.array(stageEntrySchema).default([]),
  output: outputSchema,
  execution: executionSchema.default({ tasks: 8, seed: 0 }),
});

export type PipelineSpec = z.infer<typeof pipelineSchema>;
export type OutputSpec = z.infer<typeof outputSchema>;
