/**
 * CLIP's image preprocessing (openai/CLIP `_transform`, HF `CLIPImageProcessor`): resize the
 * shortest side to 224 with a bicubic filter, centre-crop 224×224, RGB, scale to [0, 1],
 * normalise with CLIP's mean and std, channels first. Decoding and resizing are sharp's
 * (libvips); the crop offsets and the normalisation follow torchvision exactly.
 */
import sharp from 'sharp';

export const CLIP_SIZE = 224;
export const CLIP_MEAN: readonly number[] = [0.48145466, 0.4578275, 0.40821073];
export const CLIP_STD: readonly number[] = [0.26862954, 0.26130258, 0.27577711];

export interface PreprocessConfig {
  /** Shortest side after resizing and the side of the square crop. */
  size: number;
  mean: readonly number[];
  std: readonly number[];
}

export const CLIP_PREPROCESS: PreprocessConfig = { size: CLIP_SIZE, mean: CLIP_MEAN, std: CLIP_STD };

/** Python's round(): halves go to the even neighbour (torchvision's crop offsets use it). */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** Size after resizing the shortest side to `size` (the long side truncated, as torchvision and HF do). */
export function resizedSize(width: number, height: number, size: number): { width: number; height: number } {
  if (width <= height) return { width: size, height: Math.trunc((size * height) / width) };
  return { width: Math.trunc((size * width) / height), height: size };
}

/** Top-left corner of torchvision's centre crop of `crop` from a `width`×`height` image. */
export function centreCropOffset(width: number, height: number, crop: number): { left: number; top: number } {
  return { left: roundHalfEven((width - crop) / 2), top: roundHalfEven((height - crop) / 2) };
}

/** pixel byte → normalised value, per channel: 3 × 256 entries, made once per config. */
function normaliseTable(config: PreprocessConfig): Float32Array {
  const t = new Float32Array(768);
  for (let c = 0; c < 3; c++) for (let v = 0; v < 256; v++) t[c * 256 + v] = (v / 255 - config.mean[c]) / config.std[c];
  return t;
}

const tables = new WeakMap<PreprocessConfig, Float32Array>();

/** The resized and cropped RGB bytes (interleaved, size × size × 3): the part sharp does. */
export async function resizeAndCrop(image: Uint8Array | string, size: number): Promise<Buffer> {
  // Orientation is left as stored (PIL does not apply EXIF rotation either); no JPEG
  // shrink-on-load, which would change the pixels the bicubic filter sees.
  const meta = await sharp(image, { autoOrient: false }).metadata();
  if (!meta.width || !meta.height) throw new Error('image has no size');
  const resized = resizedSize(meta.width, meta.height, size);
  const { left, top } = centreCropOffset(resized.width, resized.height, size);
  const { data, info } = await sharp(image, { autoOrient: false })
    .resize(resized.width, resized.height, { kernel: 'cubic', fit: 'fill', fastShrinkOnLoad: false })
    .extract({ left, top, width: size, height: size })
    .removeAlpha()
    .toColourspace('srgb')
    .raw({ depth: 'uchar' })
    .toBuffer({ resolveWithObject: true });
  if (info.channels === 3) return data;
  // Grey images: one channel becomes three, as PIL's convert('RGB') does.
  const rgb = Buffer.alloc(size * size * 3);
  for (let i = 0; i < size * size; i++) rgb[3 * i] = rgb[3 * i + 1] = rgb[3 * i + 2] = data[i * info.channels];
  return rgb;
}

/**
 * One image (bytes or a file path) → `out[offset .. offset + 3·size²)`, channels first. Throws
 * when the image does not decode; callers turn that into an exclusion.
 */
export async function preprocessInto(image: Uint8Array | string, out: Float32Array, offset: number, config: PreprocessConfig = CLIP_PREPROCESS): Promise<void> {
  const size = config.size;
  const rgb = await resizeAndCrop(image, size);
  let table = tables.get(config);
  if (!table) tables.set(config, (table = normaliseTable(config)));
  const plane = size * size;
  for (let i = 0; i < plane; i++) {
    out[offset + i] = table[rgb[3 * i]];
    out[offset + plane + i] = table[256 + rgb[3 * i + 1]];
    out[offset + 2 * plane + i] = table[512 + rgb[3 * i + 2]];
  }
}
