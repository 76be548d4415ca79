import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { RecordBatch } from '../core/batch.js';
import type { ColumnSpec } from '../core/record.js';
import { defineStage, type ExcludeRow, type MapStage, type MapTaskInfo, type ReleaseSection, type SummaryTaskInfo } from '../core/stage.js';
import { downloadBatch, type DownloadSettings, type Prepared, type RowInput } from '../images/batch.js';
import { DEFAULT_USER_AGENT } from '../images/fetch.js';
import { HostLimitedQueue } from '../images/host-limit.js';
import { DEFAULT_DISALLOWED } from '../images/optout.js';
import { downloadShardsDir } from '../images/shard-dirs.js';

/**
 * `download`: URL + caption records (LAION, CC3M/CC12M, DataComp pools) → images fetched,
 * checked, resized and written as WebDataset tar shards, one shard per batch of records
 * (`<rank>-<batch>.tar`, members `<key>.jpg`, `.txt`, `.json` in input order), released under
 * `artifacts/<index>-download/shards/` with their checksums in the manifest. The records go
 * on with the shard, key, sizes, format, sha256 of the original bytes and pHash as columns;
 * every failure is an exclusion with its reason (http_404, timeout, opted_out, decode_error,
 * too_small, too_large, not_an_image, hash_mismatch, redirect_loop, truncated, ...).
 * The work is in images/ (fetch, decode, tar, batch); this adapter maps params and columns.
 */
const params = z.strictObject({
  url_column: z.string().min(1).default('url'),
  /** Column of the caption (`.txt`); default: the pipeline's content column. */
  caption_column: z.string().min(1).optional(),
  /** Column of an expected hash of the original bytes (hex or base64); a differing download is excluded as hash_mismatch. */
  hash_column: z.string().min(1).nullable().default(null),
  hash_algorithm: z.enum(['sha256', 'md5', 'sha512']).default('sha256'),
  /** Downloads in flight at once in one task. */
  concurrency: z.number().int().min(1).max(4096).default(64),
  /** Of those, at most this many against one host. */
  per_host: z.number().int().min(1).default(8),
  /** One attempt's whole request (img2dataset's default: 10 s). */
  timeout_s: z.number().positive().default(10),
  retries: z.number().int().min(0).max(10).default(2),
  /** Wait before the first retry, doubled for each next one. */
  backoff_s: z.number().min(0).default(1),
  max_redirects: z.number().int().min(0).max(50).default(5),
  max_bytes: z
    .number()
    .int()
    .positive()
    .default(32 * 1024 * 1024),
  /** PIL's decompression-bomb limit by default. */
  max_pixels: z.number().int().positive().default(89_478_485),
  user_agent: z.string().min(1).default(DEFAULT_USER_AGENT),
  /** X-Robots-Tag directives that opt an image out (img2dataset's); [] ignores opt-outs. */
  disallowed_directives: z.array(z.string().min(1)).default([...DEFAULT_DISALLOWED]),
  /** DataComp downloads keep the ratio with the longer side at most 512 (`keep_ratio`, only shrinking). */
  resize: z.enum(['none', 'shortest_side', 'keep_ratio', 'center_crop']).default('keep_ratio'),
  size: z.number().int().min(1).default(512),
  only_shrink: z.boolean().default(true),
  quality: z.number().int().min(1).max(100).default(95),
  /** Shorter side of the original below this: too_small. */
  min_side: z.number().int().min(0).default(0),
  /** Compute the pHash (column `phash`, for `image_near_dedup`). */
  phash: z.boolean().default(true),
});
type Params = z.infer<typeof params>;

const COLUMNS: ColumnSpec[] = [
  { name: 'shard', type: 'string' },
  { name: 'key', type: 'string' },
  { name: 'width', type: 'int64' },
  { name: 'height', type: 'int64' },
  { name: 'original_width', type: 'int64' },
  { name: 'original_height', type: 'int64' },
  { name: 'image_format', type: 'string' },
  { name: 'sha256', type: 'string' },
  { name: 'phash', type: 'string' },
  { name: 'image_bytes', type: 'int64' },
];

function settingsOf(p: Params): DownloadSettings {
  return {
    fetch: {
      timeoutMs: p.timeout_s * 1000,
      retries: p.retries,
      backoffMs: p.backoff_s * 1000,
      maxRedirects: p.max_redirects,
      maxBytes: p.max_bytes,
      userAgent: p.user_agent,
      disallowed: p.disallowed_directives.map((d) => d.toLowerCase()),
    },
    decode: { resize: p.resize, size: p.size, onlyShrink: p.only_shrink, quality: p.quality, minSide: p.min_side, maxPixels: p.max_pixels, phash: p.phash },
    hashAlgorithm: p.hash_algorithm,
  };
}

const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : null);

class DownloadStage implements MapStage {
  readonly kind = 'map' as const;
  readonly columns = COLUMNS;
  private readonly settings: DownloadSettings;
  private readonly queue: HostLimitedQueue<Prepared>;
  private readonly counts: Record<string, number> = {};
  private task?: MapTaskInfo;
  private batches = 0;

  constructor(
    private readonly p: Params,
    private readonly captionColumn: string,
    private readonly stages: readonly { name: string }[],
  ) {
    this.settings = settingsOf(p);
    this.queue = new HostLimitedQueue<Prepared>(p.concurrency, p.per_host);
  }

  async open(task: MapTaskInfo): Promise<void> {
    this.task = task;
  }

  private bump(key: string, by = 1): void {
    this.counts[key] = (this.counts[key] ?? 0) + by;
  }

  async processBatch(batch: RecordBatch, rows: Int32Array, exclude: ExcludeRow): Promise<void> {
    const task = this.task!;
    const name = `${String(task.rank).padStart(5, '0')}-${String(this.batches++).padStart(5, '0')}`;
    const urls = batch.column(this.p.url_column);
    const captions = batch.column(this.captionColumn);
    const hashes = this.p.hash_column ? batch.column(this.p.hash_column) : undefined;
    const ids = batch.column('id');
    const inputs: RowInput[] = [];
    const keys: string[] = [];
    for (let k = 0; k < rows.length; k++) {
      const i = rows[k];
      inputs.push({ id: String(ids?.[i] ?? ''), url: str(urls?.[i]), caption: typeof captions?.[i] === 'string' ? (captions[i] as string) : null, expectedHash: str(hashes?.[i]) });
      keys.push(`${name.replace('-', '')}${String(k).padStart(5, '0')}`); // unique in the run, no dots (WebDataset splits keys at the first dot)
    }
    const result = await downloadBatch(inputs, keys, path.join(this.shardsDir(task), `${name}.tar`), path.join(task.stageDir, 'shard-index', `${name}.json`), this.settings, this.queue);
    if (result.reused) this.bump('batches_reused');
    const out = Object.fromEntries(COLUMNS.map((c) => [c.name, batch.columnForWrite(c.name)]));
    for (let k = 0; k < rows.length; k++) {
      const i = rows[k];
      const o = result.rows[k];
      this.bump('attempts', o.attempts);
      if (!o.ok) {
        exclude(i, { reason: o.reason, detail: o.detail });
        continue;
      }
      if (o.redirects) this.bump('redirected');
      if (!o.contentType.toLowerCase().startsWith('image/')) this.bump('content_type_not_image'); // decoded anyway: the bytes decide
      this.bump('downloaded_bytes', o.bytes);
      this.bump(`format:${o.format}`);
      out.shard[i] = result.shard;
      out.key[i] = o.key;
      out.width[i] = o.width;
      out.height[i] = o.height;
      out.original_width[i] = o.originalWidth;
      out.original_height[i] = o.originalHeight;
      out.image_format[i] = o.format;
      out.sha256[i] = o.sha256;
      out.phash[i] = o.phash;
      out.image_bytes[i] = o.bytes;
    }
  }

  /** Released, unless a face_blur stage follows and releases blurred copies instead. */
  private shardsDir(task: MapTaskInfo): string {
    return downloadShardsDir(task.stageDir, this.stages);
  }

  counters(): Record<string, number> {
    return { ...this.counts };
  }

  async summarize(task: SummaryTaskInfo): Promise<ReleaseSection> {
    const dir = this.shardsDir(task);
    const shards = existsSync(dir) ? readdirSync(dir).filter((n) => n.endsWith('.tar')) : [];
    let samples = 0;
    const indexDir = path.join(task.stageDir, 'shard-index');
    for (const n of existsSync(indexDir) ? readdirSync(indexDir).filter((f) => f.endsWith('.json')) : []) {
      const index = JSON.parse(readFileSync(path.join(indexDir, n), 'utf8')) as { rows: { ok: boolean }[] };
      samples += index.rows.filter((r) => r.ok).length;
    }
    const released = dir.startsWith(path.join(task.stageDir, 'artifacts'));
    const where = released ? `${task.artifactsPath}shards/` : null;
    return {
      key: 'images',
      title: 'Images',
      card: [
        released
          ? `${samples} images in ${shards.length} WebDataset shards under \`${where}\` (\`<key>.jpg\`, \`.txt\`, \`.json\` per sample; the \`shard\` and \`key\` columns point to them).`
          : `${samples} images downloaded in ${shards.length} WebDataset shards, not released: a face_blur stage releases blurred copies of the images that reach it.`,
        `Resize: ${this.p.resize}${this.p.resize === 'none' ? '' : ` to ${this.p.size}${this.p.only_shrink ? ', only shrinking' : ''}`}; sha256 of the original bytes in \`sha256\`. Opt-outs honoured: X-Robots-Tag ${this.p.disallowed_directives.join(', ') || '(none)'}.`,
      ],
      data: { shards: shards.length, samples, dir: where, resize: this.p.resize, size: this.p.size, user_agent: this.p.user_agent, disallowed_directives: this.p.disallowed_directives },
    };
  }
}

export const downloadStage = defineStage<Params>({
  name: 'download',
  description: 'Download the images of URL + caption records into WebDataset tar shards (bounded concurrency, per-host limit, retries, opt-outs, sha256); every failure excluded with its reason.',
  kind: 'map',
  params,
  requires: (p) => [p.url_column, ...(p.hash_column ? [p.hash_column] : [])],
  create: (p, env) => new DownloadStage(p, p.caption_column ?? env.contentColumn, env.stages ?? []),
});
