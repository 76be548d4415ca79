import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../core/fs.js';
import { decodeImage, type DecodeOptions } from './decode.js';
import { fetchWithRetries, type FetchOptions } from './fetch.js';
import { hostOf, HostLimitedQueue } from './host-limit.js';
import { TarShardWriter } from './tar.js';

/**
 * One batch of URL records → one WebDataset shard. Every row is fetched, decoded and resized
 * concurrently (the queue's limits), and written in input order (`<key>.jpg`, `.txt`, `.json`),
 * whatever order the downloads finish in: the shard's bytes depend only on the inputs and on
 * what the servers answered. Beside the shard an index (the outcome of every row) is written
 * last; a rerun that finds both, made from the same inputs and settings, reuses them instead of
 * downloading again: a killed run resumes at the first batch it had not finished.
 */
export interface DownloadSettings {
  fetch: FetchOptions;
  decode: DecodeOptions;
  /** `null`: no hash check; else the algorithm of the expected hashes (hex or base64). */
  hashAlgorithm: 'sha256' | 'md5' | 'sha512';
}

export interface RowInput {
  id: string;
  url: string | null;
  caption: string | null;
  expectedHash: string | null;
}

export type RowOutcome =
  | {
      ok: true;
      key: string;
      width: number;
      height: number;
      originalWidth: number;
      originalHeight: number;
      format: string;
      sha256: string;
      phash: string | null;
      bytes: number;
      attempts: number;
      redirects: number;
      contentType: string;
    }
  | { ok: false; reason: string; detail: string; attempts: number };

export interface ShardResult {
  /** The shard's file name, or null when no row made it. */
  shard: string | null;
  rows: RowOutcome[];
  reused: boolean;
}

interface ShardIndex {
  fingerprint: string;
  shard: string | null;
  rows: RowOutcome[];
}

/** Same inputs, same settings → same fingerprint: only then is a finished shard reused. */
export function batchFingerprint(inputs: readonly RowInput[], keys: readonly string[], s: DownloadSettings): string {
  const h = createHash('sha256');
  h.update(JSON.stringify({ decode: s.decode, hash: s.hashAlgorithm, maxBytes: s.fetch.maxBytes, disallowed: s.fetch.disallowed }));
  for (let i = 0; i < inputs.length; i++) h.update(JSON.stringify([keys[i], inputs[i].id, inputs[i].url, inputs[i].caption, inputs[i].expectedHash]));
  return h.digest('hex');
}

/** `expected` (hex or base64) equals the digest of `bytes`. */
function hashMatches(bytes: Buffer, expected: string, algorithm: string): boolean {
  const digest = createHash(algorithm).update(bytes).digest();
  const e = expected.trim();
  return /^[0-9a-f]+$/i.test(e) ? e.toLowerCase() === digest.toString('hex') : e === digest.toString('base64');
}

type Prepared = { ok: true; outcome: Extract<RowOutcome, { ok: true }>; image: Buffer } | { ok: false; outcome: RowOutcome };

async function prepareRow(input: RowInput, key: string, s: DownloadSettings): Promise<Prepared> {
  if (!input.url) return { ok: false, outcome: { ok: false, reason: 'no_url', detail: 'empty url', attempts: 0 } };
  const got = await fetchWithRetries(input.url, s.fetch);
  if (!got.ok) return { ok: false, outcome: { ok: false, reason: got.reason, detail: got.detail, attempts: got.attempts } };
  const sha256 = createHash('sha256').update(got.bytes).digest('hex');
  if (input.expectedHash && !hashMatches(got.bytes, input.expectedHash, s.hashAlgorithm))
    return { ok: false, outcome: { ok: false, reason: 'hash_mismatch', detail: `${s.hashAlgorithm} differs (sha256 ${sha256})`, attempts: got.attempts } };
  const d = await decodeImage(got.bytes, s.decode);
  if (!d.ok) return { ok: false, outcome: { ok: false, reason: d.reason, detail: d.detail, attempts: got.attempts } };
  const outcome = {
    ok: true as const,
    key,
    width: d.width,
    height: d.height,
    originalWidth: d.originalWidth,
    originalHeight: d.originalHeight,
    format: d.format,
    sha256,
    phash: d.phash,
    bytes: got.bytes.byteLength,
    attempts: got.attempts,
    redirects: got.redirects,
    contentType: got.contentType,
  };
  return { ok: true, outcome, image: d.jpeg };
}

/** The `.json` member: what a WebDataset reader needs besides the image and caption. */
function sampleJson(input: RowInput, o: Extract<RowOutcome, { ok: true }>): string {
  return JSON.stringify({
    key: o.key,
    id: input.id,
    url: input.url,
    caption: input.caption,
    width: o.width,
    height: o.height,
    original_width: o.originalWidth,
    original_height: o.originalHeight,
    format: o.format,
    sha256: o.sha256,
  });
}

export async function downloadBatch(
  inputs: readonly RowInput[],
  keys: readonly string[],
  shardPath: string,
  indexPath: string,
  s: DownloadSettings,
  queue: HostLimitedQueue<Prepared>,
): Promise<ShardResult> {
  const fingerprint = batchFingerprint(inputs, keys, s);
  const earlier = readIndex(indexPath);
  if (earlier && earlier.fingerprint === fingerprint && (earlier.shard === null || existsSync(shardPath))) return { shard: earlier.shard, rows: earlier.rows, reused: true };

  removeStaleTemps(shardPath);
  const pending = inputs.map((input, i) => queue.push(hostOf(input.url ?? ''), () => prepareRow(input, keys[i], s)));
  const rows: RowOutcome[] = [];
  let tar: TarShardWriter | undefined;
  try {
    for (let i = 0; i < pending.length; i++) {
      const p = await pending[i];
      pending[i] = undefined as unknown as Promise<Prepared>; // let the image go once written
      rows.push(p.outcome);
      if (!p.ok) continue;
      tar ??= new TarShardWriter(shardPath);
      tar.add(`${keys[i]}.jpg`, p.image);
      tar.add(`${keys[i]}.txt`, Buffer.from(inputs[i].caption ?? '', 'utf8'));
      tar.add(`${keys[i]}.json`, Buffer.from(sampleJson(inputs[i], p.outcome), 'utf8'));
    }
    tar?.close();
  } catch (err) {
    tar?.abort();
    await Promise.allSettled(pending.filter(Boolean));
    throw err;
  }
  const shard = tar ? path.basename(shardPath) : null;
  writeFileAtomic(indexPath, JSON.stringify({ fingerprint, shard, rows } satisfies ShardIndex));
  return { shard, rows, reused: false };
}

/** Hidden temporaries of this shard that a killed attempt left (another pid's name): never released, but they take disk. */
function removeStaleTemps(shardPath: string): void {
  const dir = path.dirname(shardPath);
  if (!existsSync(dir)) return;
  const prefix = `.${path.basename(shardPath)}.tmp-`;
  for (const name of readdirSync(dir)) if (name.startsWith(prefix)) rmSync(path.join(dir, name), { force: true });
}

function readIndex(file: string): ShardIndex | undefined {
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as ShardIndex;
  } catch {
    return undefined; // unreadable: download the batch again
  }
}

export type { Prepared };
