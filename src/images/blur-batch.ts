/**
 * One batch of records → one shard of their images with the faces blurred, the way
 * images/batch.ts writes download shards: members `<key>.jpg` (blurred and re-encoded when a
 * face was found, else the source bytes unchanged), `<key>.txt` and `<key>.json` copied, in
 * input order, every header fixed: the same inputs, model and settings give the same bytes.
 * The shard is renamed into place when whole, then an index (outcome per row, fingerprint of
 * the inputs' bytes, the model file's sha256 and the settings) is written beside it; a rerun
 * that finds both with the same fingerprint reuses them without running the detector.
 * Without a detector (the model missing and `when_missing: skip`) images are copied as they are.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../core/fs.js';
import type { FaceBox } from '../models/faces/decode.js';
import { blurRegions, decodeRgb, encodeJpeg, regionOf } from './blur.js';
import type { ShardImages } from './shard-images.js';
import { TarShardWriter } from './tar.js';

export interface FaceDetector {
  detect(rgb: Buffer, width: number, height: number): Promise<FaceBox[]>;
}

export interface BlurSettings {
  /** null: no model, images copied unblurred. */
  detector: FaceDetector | null;
  /** sha256 of the model file ('' without one): another model, other shards. */
  modelSha256: string;
  threshold: number;
  iou: number;
  margin: number;
  strength: number;
  quality: number;
}

export interface BlurRowInput {
  id: string;
  shard: unknown;
  key: unknown;
}

export type BlurOutcome = { ok: true; key: string; faces: number; boxes: number[]; scores: number[]; blurred: boolean } | { ok: false; reason: string; detail: string };

export interface BlurShardResult {
  shard: string | null;
  rows: BlurOutcome[];
  reused: boolean;
}

interface Index {
  fingerprint: string;
  shard: string | null;
  rows: BlurOutcome[];
}

const round2 = (v: number) => Math.round(v * 100) / 100;

/** Faces of one image, and its bytes for the shard: blurred when a face was found. */
async function blurOne(image: Buffer, s: BlurSettings): Promise<{ bytes: Buffer; boxes: FaceBox[] }> {
  if (!s.detector) return { bytes: image, boxes: [] };
  const { rgb, width, height } = await decodeRgb(image);
  const boxes = await s.detector.detect(rgb, width, height);
  const regions = boxes.map((b) => regionOf(b, width, height, s.margin)).filter((r) => r !== null);
  if (regions.length === 0) return { bytes: image, boxes };
  return { bytes: await encodeJpeg(await blurRegions(rgb, width, height, regions, s.strength), width, height, s.quality), boxes };
}

function fingerprintOf(inputs: readonly BlurRowInput[], images: readonly (Buffer | undefined)[], s: BlurSettings): string {
  const h = createHash('sha256');
  const { detector, ...settings } = s;
  h.update(JSON.stringify({ ...settings, detector: detector !== null }));
  inputs.forEach((r, i) => {
    h.update(JSON.stringify([r.id, r.shard, r.key]));
    h.update(images[i] ? createHash('sha256').update(images[i]).digest() : 'none');
  });
  return h.digest('hex');
}

function readIndex(file: string): Index | undefined {
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Index;
  } catch {
    return undefined; // unreadable: blur the batch again
  }
}

export async function blurBatch(inputs: readonly BlurRowInput[], source: ShardImages, shardPath: string, indexPath: string, s: BlurSettings): Promise<BlurShardResult> {
  const found = inputs.map((r) => source.image(r.shard, r.key));
  const images = found.map((f) => ('image' in f ? f.image : undefined));
  const fingerprint = fingerprintOf(inputs, images, s);
  const earlier = readIndex(indexPath);
  if (earlier && earlier.fingerprint === fingerprint && (earlier.shard === null || existsSync(shardPath))) return { shard: earlier.shard, rows: earlier.rows, reused: true };

  const rows: BlurOutcome[] = [];
  let tar: TarShardWriter | undefined;
  try {
    for (let i = 0; i < inputs.length; i++) {
      const f = found[i];
      if ('why' in f) {
        rows.push({ ok: false, reason: f.why.reason, detail: f.why.detail ?? '' });
        continue;
      }
      const key = inputs[i].key as string;
      let blurred: { bytes: Buffer; boxes: FaceBox[] };
      try {
        blurred = await blurOne(f.image, s);
      } catch (err) {
        rows.push({ ok: false, reason: 'image_undecodable', detail: (err as Error).message });
        continue;
      }
      tar ??= new TarShardWriter(shardPath);
      tar.add(`${key}.jpg`, blurred.bytes);
      for (const ext of ['txt', 'json']) {
        const member = source.member(inputs[i].shard as string, key, ext);
        if (member) tar.add(`${key}.${ext}`, member);
      }
      const b = blurred.boxes;
      rows.push({ ok: true, key, faces: b.length, boxes: b.flatMap((x) => [x.x1, x.y1, x.x2, x.y2].map(round2)), scores: b.map((x) => x.score), blurred: blurred.bytes !== f.image });
    }
    tar?.close();
  } catch (err) {
    tar?.abort();
    throw err;
  }
  const shard = tar ? path.basename(shardPath) : null;
  writeFileAtomic(indexPath, JSON.stringify({ fingerprint, shard, rows } satisfies Index));
  return { shard, rows, reused: false };
}
