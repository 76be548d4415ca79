/**
 * The part of Hugging Face's image processors (`preprocessor_config.json`) that image
 * classifiers use: resize (to `size.height`×`size.width`, or the shortest edge to
 * `size.shortest_edge`), centre crop (`crop_size`), rescale (`rescale_factor`), normalise
 * (`image_mean`, `image_std`), channels first. ViT's processor squashes to 224×224 or 384×384
 * with mean = std = 0.5; ConvNeXt/CLIP-style ones resize the shortest edge and crop.
 * Resampling is sharp's (libvips) kernel nearest to PIL's named filter, so pixels can differ
 * from transformers' by a grey level or two.
 */
import { existsSync, readFileSync } from 'node:fs';
import sharp from 'sharp';

type Kernel = 'nearest' | 'linear' | 'cubic' | 'mitchell' | 'lanczos2' | 'lanczos3';
import { centreCropOffset, resizedSize } from '../clip/preprocess.js';

export interface ImageProcessorConfig {
  /** `square`: resize to width × height; `shortest_edge`: resize that edge to `width`, then crop. */
  resize: 'square' | 'shortest_edge' | 'none';
  width: number;
  height: number;
  /** Crop after resizing; null: none. */
  crop: { width: number; height: number } | null;
  kernel: Kernel;
  rescale: number;
  mean: readonly number[];
  std: readonly number[];
}

type Size = number | { height?: number; width?: number; shortest_edge?: number };

interface RawConfig {
  do_resize?: boolean;
  size?: Size;
  resample?: number;
  do_center_crop?: boolean;
  crop_size?: Size;
  do_rescale?: boolean;
  rescale_factor?: number;
  do_normalize?: boolean;
  image_mean?: number[] | number;
  image_std?: number[] | number;
}

/** PIL's resampling filter numbers → sharp's kernels (PIL: 0 nearest, 1 lanczos, 2 bilinear, 3 bicubic, 4 box, 5 hamming). */
const KERNELS: Record<number, Kernel> = { 0: 'nearest', 1: 'lanczos3', 2: 'linear', 3: 'cubic', 4: 'linear', 5: 'linear' };

const triple = (v: number[] | number | undefined, fallback: number): number[] => (Array.isArray(v) ? v : [v ?? fallback, v ?? fallback, v ?? fallback]);

function sizeOf(size: Size | undefined, fallback: number): { width: number; height: number; shortest?: number } {
  if (size === undefined) return { width: fallback, height: fallback };
  if (typeof size === 'number') return { width: size, height: size };
  if (size.shortest_edge) return { width: size.shortest_edge, height: size.shortest_edge, shortest: size.shortest_edge };
  return { width: size.width ?? size.height ?? fallback, height: size.height ?? size.width ?? fallback };
}

/** The processor a `preprocessor_config.json` describes; HF's ViT defaults (224, mean = std = 0.5) for what it leaves out. */
export function parseImageProcessor(raw: RawConfig): ImageProcessorConfig {
  const size = sizeOf(raw.size, 224);
  const cropping = raw.do_center_crop === true;
  // An integer size with a crop means "shortest edge" in older configs (CLIP's, ConvNeXt's).
  const shortest = size.shortest !== undefined || (cropping && typeof raw.size === 'number');
  const crop = cropping ? sizeOf(raw.crop_size, size.width) : null;
  return {
    resize: raw.do_resize === false ? 'none' : shortest ? 'shortest_edge' : 'square',
    width: size.width,
    height: size.height,
    crop: crop ? { width: crop.width, height: crop.height } : null,
    kernel: KERNELS[raw.resample ?? 2] ?? 'linear',
    rescale: raw.do_rescale === false ? 1 : (raw.rescale_factor ?? 1 / 255),
    mean: raw.do_normalize === false ? [0, 0, 0] : triple(raw.image_mean, 0.5),
    std: raw.do_normalize === false ? [1, 1, 1] : triple(raw.image_std, 0.5),
  };
}

/** The folder's `preprocessor_config.json`, or HF's ViT defaults when it has none. */
export function readImageProcessor(file: string): ImageProcessorConfig {
  return parseImageProcessor(existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as RawConfig) : {});
}

/** Width and height of the tensor the processor makes. */
export function outputSize(c: ImageProcessorConfig): { width: number; height: number } {
  return c.crop ?? { width: c.width, height: c.height };
}

/** Decoded, resized and cropped RGB bytes (interleaved) of one image. */
async function processedRgb(image: Uint8Array | string, c: ImageProcessorConfig): Promise<{ data: Buffer; width: number; height: number }> {
  let pipeline = sharp(image, { autoOrient: false }).removeAlpha().toColourspace('srgb');
  if (c.resize !== 'none') {
    let target = { width: c.width, height: c.height };
    if (c.resize === 'shortest_edge') {
      const meta = await sharp(image, { autoOrient: false }).metadata();
      if (!meta.width || !meta.height) throw new Error('image has no size');
      target = resizedSize(meta.width, meta.height, c.width);
    }
    pipeline = pipeline.resize(target.width, target.height, { kernel: c.kernel, fit: 'fill', fastShrinkOnLoad: false });
    if (c.crop) {
      const { left } = centreCropOffset(target.width, target.height, c.crop.width);
      const { top } = centreCropOffset(target.width, target.height, c.crop.height);
      pipeline = pipeline.extract({ left, top, width: c.crop.width, height: c.crop.height });
    }
  }
  const { data, info } = await pipeline.raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
  if (info.channels === 3) return { data, width: info.width, height: info.height };
  const plane = info.width * info.height;
  const rgb = Buffer.alloc(plane * 3);
  for (let i = 0; i < plane; i++) rgb[3 * i] = rgb[3 * i + 1] = rgb[3 * i + 2] = data[i * info.channels];
  return { data: rgb, width: info.width, height: info.height };
}

/**
 * One image (bytes or a path) → `out[offset ..)`, channels first, `(v · rescale − mean) / std`.
 * Throws when the image does not decode, or when the processor keeps its own size (`do_resize:
 * false`) and the image does not have the model's.
 */
export async function processImageInto(image: Uint8Array | string, c: ImageProcessorConfig, out: Float32Array, offset: number): Promise<void> {
  const want = outputSize(c);
  const { data, width, height } = await processedRgb(image, c);
  if (width !== want.width || height !== want.height) throw new Error(`image is ${width}×${height}, the model takes ${want.width}×${want.height}`);
  const plane = width * height;
  for (let ch = 0; ch < 3; ch++) {
    const scale = c.rescale / c.std[ch];
    const shift = c.mean[ch] / c.std[ch];
    const at = offset + ch * plane;
    for (let i = 0; i < plane; i++) out[at + i] = data[3 * i + ch] * scale - shift;
  }
}
