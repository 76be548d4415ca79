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
  /** Folder holding the versioned releases v1, v2, ... (or an s3://bucket/prefix) */
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

/** Slurm's time formats: minutes, MM:SS, HH:MM:SS, D-HH, D-HH:MM, D-HH:MM:SS. */
const SLURM_TIME = /^(\d+|\d+:\d{1,2}|\d+:\d{1,2}:\d{1,2}|\d+-\d{1,2}|\d+-\d{1,2}:\d{1,2}|\d+-\d{1,2}:\d{1,2}:\d{1,2})$/;

/** Options thresher sets itself on every job: an extra sbatch option must not fight them. */
export const SBATCH_OWNED = ['--array', '--dependency', '--output', '--error', '--open-mode', '--job-name', '--parsable', '--kill-on-invalid-dep', '--wrap'];

/** How each step's job array is submitted (README: "Running on a Slurm cluster"). */
export const slurmSchema = z.strictObject({
  partition: z.string().min(1).optional(),
  /** wall-clock limit of one task (`--time`) */
  time: z.string().regex(SLURM_TIME, 'a Slurm time: minutes, MM:SS, HH:MM:SS or D-HH[:MM[:SS]]').optional(),
  /** memory of one task (`--mem`), e.g. 4G */
  mem: z
    .string()
    .regex(/^\d+[KMGT]?$/, 'a Slurm memory size: a number with an optional K, M, G or T suffix')
    .optional(),
  cpus_per_task: z.number().int().positive().default(1),
  /** at most this many tasks of one step run at once (`--array=...%n`) */
  array_parallelism: z.number().int().positive().optional(),
  /** more sbatch options, one per entry, e.g. `--account=data` or `--qos=low` */
  sbatch_options: z
    .array(
      z
        .string()
        .regex(/^--?[A-Za-z]/, 'an sbatch option starting with - or --')
        .refine((o) => !SBATCH_OWNED.some((own) => o === own || o.startsWith(`${own}=`)), { message: `thresher sets ${SBATCH_OWNED.join(', ')} itself` }),
    )
    .default([]),
  /** shell lines run before each task on the compute node, e.g. `module load nodejs/20` */
  setup: z.array(z.string()).default([]),
  /** how a compute node starts thresher; default: this node binary and this installation (a shared filesystem) */
  command: z.string().min(1).optional(),
});

/**
 * Object storage (README: "Object storage"). Credentials are never here: the AWS SDK's default
 * chain finds them (environment, ~/.aws). The work folder (run state, markers, intermediate
 * shards, leases) of a run is a folder, or with `work_dir: s3://bucket/prefix` a prefix of an
 * object store (src/engine/remote-work.ts); Slurm logs stay on a filesystem.
 */
export const s3Schema = z.strictObject({
  /** an S3-compatible store, e.g. http://127.0.0.1:9000 (default: THRESHER_S3_ENDPOINT, AWS_ENDPOINT_URL_S3, else AWS) */
  endpoint: z.url().optional(),
  /** path-style URLs (http://host/bucket/key); default: on when an endpoint is set */
  force_path_style: z.boolean().optional(),
  /**
   * where the run's work lives: an s3://bucket/prefix of its own (any output), or for an s3://
   * output a folder relative to the pipeline file (default: .thresher-s3/<bucket>/<prefix>;
   * shared across nodes for Slurm)
   */
  work_dir: z.string().min(1).optional(),
});

export const executionSchema = z.strictObject({
  /** world_size: the number of ranks every step is split into. Fixed per run. */
  tasks: z.number().int().positive().max(100_000).default(8),
  seed: z.number().int().nonnegative().default(0),
  /** where tasks run: worker threads on this machine, or job arrays on a Slurm cluster */
  executor: z.enum(['local', 'slurm']).default('local'),
  slurm: slurmSchema.default({ cpus_per_task: 1, sbatch_options: [], setup: [] }),
  s3: s3Schema.default({}),
});

export const pipelineSchema = z.strictObject({
  name: z.string().min(1).default('pipeline'),
  /** Reader spec: `type` picks the reader; other keys are the reader's options. */
  input: z.looseObject({ type: z.enum(['directory', 'jsonl', 'json', 'parquet', 'csv', 'git', 'hg', 'svn', 'blob_store']), path: z.union([z.string(), z.array(z.string())]) }),
  /** fail: stop at the first bad file or record. quarantine: exclude it with its reason and go on. */
  on_bad_input: z.enum(['fail', 'quarantine']).default('quarantine'),
  stages: z.array(stageEntrySchema).default([]),
  output: outputSchema,
  execution: executionSchema.default({ tasks: 8, seed: 0, executor: 'local', slurm: { cpus_per_task: 1, sbatch_options: [], setup: [] }, s3: {} }),
});

export type PipelineSpec = z.infer<typeof pipelineSchema>;
export type OutputSpec = z.infer<typeof outputSchema>;
export type SlurmSpec = z.infer<typeof slurmSchema>;
export type S3Spec = z.infer<typeof s3Schema>;
export type ExecutorName = PipelineSpec['execution']['executor'];
