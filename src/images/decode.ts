import sharp, { type Metadata, type Sharp } from 'sharp';
import { PHASH_SIDE, phashOfThumbnail } from './phash.js';

/**
 * Decode, check and resize one downloaded image with sharp (libvips). Resize modes, as
 * img2dataset names its own: `none` (bytes kept as they came when they are a JPEG, else
 * re-encoded), `shortest_side` (shorter side to `size`, ratio kept), `keep_ratio` (fits in
 * size × size, ratio kept), `center_crop` (shorter side to `size`, then the centre size × size).
 */
export type ResizeMode = 'none' | 'shortest_side' | 'keep_ratio' | 'center_crop';

export interface DecodeOptions {
  resize: ResizeMode;
  size: number;
  /** Never enlarge: smaller images are only re-encoded. */
  onlyShrink: boolean;
  /** JPEG quality of re-encoded images (img2dataset: 95). */
  quality: number;
  /** Shorter side of the original below this: too_small. */
  minSide: number;
  /** More pixels than this: too_large (libvips refuses before decoding: a decompression bomb costs nothing). */
  maxPixels: number;
  /** Also compute the pHash (on the whole original, whatever the crop). */
  phash: boolean;
}

export type DecodeResult =
  { ok: true; jpeg: Buffer; width: number; height: number; originalWidth: number; originalHeight: number; format: string; phash: string | null } | { ok: false; reason: string; detail: string };

/** Orientations 5–8 turn the image a quarter: width and height swap once it is upright. */
const upright = (m: Metadata) => ((m.orientation ?? 1) >= 5 ? { w: m.height ?? 0, h: m.width ?? 0 } : { w: m.width ?? 0, h: m.height ?? 0 });

export async function decodeImage(bytes: Buffer, o: DecodeOptions): Promise<DecodeResult> {
  let meta: Metadata;
  try {
    meta = await sharp(bytes).metadata();
  } catch (err) {
    return { ok: false, reason: 'not_an_image', detail: (err as Error).message };
  }
  const { w, h } = upright(meta);
  const format = meta.format ?? 'unknown';
  if (w * h > o.maxPixels) return { ok: false, reason: 'too_large', detail: `${w}×${h} pixels` };
  if (Math.min(w, h) < o.minSide) return { ok: false, reason: 'too_small', detail: `${w}×${h}` };
  try {
    const base = sharp(bytes, { failOn: 'warning', limitInputPixels: o.maxPixels }).rotate();
    const keepBytes = o.resize === 'none' && format === 'jpeg' && (meta.orientation ?? 1) === 1;
    // Kept bytes are checked by a full decode; the pHash thumbnail is one (libvips reads to
    // the end of the file and fails on a truncated one), so it is done once, not twice.
    const [out, grey] = await Promise.all([keepBytes ? { data: bytes, width: w, height: h } : encode(base.clone(), w, h, o), o.phash || keepBytes ? thumbnail(base.clone()) : null]);
    return { ok: true, jpeg: out.data, width: out.width, height: out.height, originalWidth: w, originalHeight: h, format, phash: grey && o.phash ? phashOfThumbnail(grey) : null };
  } catch (err) {
    return { ok: false, reason: 'decode_error', detail: (err as Error).message };
  }
}

async function encode(img: Sharp, w: number, h: number, o: DecodeOptions): Promise<{ data: Buffer; width: number; height: number }> {
  const shorter = Math.min(w, h);
  const grow = !o.onlyShrink;
  if (o.resize === 'shortest_side' && (shorter > o.size || grow)) {
    const scale = o.size / shorter;
    img = img.resize(Math.max(1, Math.round(w * scale)), Math.max(1, Math.round(h * scale)), { fit: 'fill' });
  } else if (o.resize === 'keep_ratio' && (Math.max(w, h) > o.size || grow)) {
    img = img.resize(o.size, o.size, { fit: 'inside' });
  } else if (o.resize === 'center_crop') {
    img = img.resize(o.size, o.size, { fit: 'cover', position: 'centre', withoutEnlargement: !grow });
  }
  const { data, info } = await img.flatten({ background: '#ffffff' }).jpeg({ quality: o.quality, mozjpeg: false }).toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

async function thumbnail(img: Sharp): Promise<Uint8Array> {
  return img.removeAlpha().greyscale().resize(PHASH_SIDE, PHASH_SIDE, { fit: 'fill' }).raw().toBuffer();
}
