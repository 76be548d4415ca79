/**
 * Blurring regions of an image (faces) with sharp: each region is extracted, Gaussian-blurred on
 * its own (its edges extended, so nothing from outside leaks in) and written back. Pixels outside
 * the regions are left byte for byte; only the JPEG re-encode of the whole image (`encodeJpeg`,
 * the download stage's settings) changes them by its rounding.
 */
import sharp from 'sharp';

export interface Region {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** A box (x1, y1, x2, y2 in pixels) grown by `margin` of its size on every side, on whole pixels, clipped to the image; null when nothing is left. */
export function regionOf(box: { x1: number; y1: number; x2: number; y2: number }, width: number, height: number, margin: number): Region | null {
  const mx = (box.x2 - box.x1) * margin;
  const my = (box.y2 - box.y1) * margin;
  const left = Math.max(0, Math.floor(box.x1 - mx));
  const top = Math.max(0, Math.floor(box.y1 - my));
  const right = Math.min(width, Math.ceil(box.x2 + mx));
  const bottom = Math.min(height, Math.ceil(box.y2 + my));
  return right > left && bottom > top ? { left, top, width: right - left, height: bottom - top } : null;
}

/** Gaussian sigma for a region: `strength` × its longer side (at least 0.5 px, sharp's floor is 0.3). */
export function sigmaFor(r: Region, strength: number): number {
  return Math.max(0.5, strength * Math.max(r.width, r.height));
}

/** A copy of `rgb` (interleaved, 3 channels) with each region blurred. */
export async function blurRegions(rgb: Buffer, width: number, height: number, regions: readonly Region[], strength: number): Promise<Buffer> {
  const out = Buffer.from(rgb);
  for (const r of regions) {
    // Read from `out`: overlapping regions blur what an earlier one left, in a fixed order.
    const blurred = await sharp(out, { raw: { width, height, channels: 3 } })
      .extract(r)
      .blur(sigmaFor(r, strength))
      .raw()
      .toBuffer();
    for (let y = 0; y < r.height; y++) blurred.copy(out, ((r.top + y) * width + r.left) * 3, y * r.width * 3, (y + 1) * r.width * 3);
  }
  return out;
}

/** Decoded RGB bytes of an image (an alpha channel dropped, grey made RGB). */
export async function decodeRgb(image: Uint8Array): Promise<{ rgb: Buffer; width: number; height: number }> {
  const { data, info } = await sharp(image, { failOn: 'warning' }).removeAlpha().toColourspace('srgb').raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
  if (info.channels === 3) return { rgb: data, width: info.width, height: info.height };
  const plane = info.width * info.height;
  const rgb = Buffer.alloc(plane * 3);
  for (let i = 0; i < plane; i++) rgb[3 * i] = rgb[3 * i + 1] = rgb[3 * i + 2] = data[i * info.channels];
  return { rgb, width: info.width, height: info.height };
}

/** RGB bytes → JPEG as the download stage writes its images (libjpeg-turbo, no mozjpeg). */
export function encodeJpeg(rgb: Buffer, width: number, height: number, quality: number): Promise<Buffer> {
  return sharp(rgb, { raw: { width, height, channels: 3 } })
    .jpeg({ quality, mozjpeg: false })
    .toBuffer();
}
