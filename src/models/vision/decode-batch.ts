/**
 * One batch of images into a model's input buffer, the part every image model shares: each
 * image decoded into its own plane, an image that does not decode set aside with its message
 * (an exclusion, not a throw), and the decoded planes packed to the front, so the model sees
 * only real rows. The pixels themselves are each model's own preprocessing (`decode`).
 */

export type ImageInput = Uint8Array | string;

/** One image → `out[offset .. offset + plane)`; throws when it does not decode. */
export type DecodeInto = (image: ImageInput, out: Float32Array, offset: number) => Promise<void>;

export interface DecodedBatch {
  /** indices into the batch of the images that decoded, ascending: row j of `pixels` is image `decoded[j]` */
  decoded: number[];
  /** per image of the batch: why it did not decode, or undefined */
  errors: (string | undefined)[];
}

/** Run `fn(0..count-1)` with at most `limit` in flight. */
async function forEachLimited(count: number, limit: number, fn: (k: number) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < count) await fn(next++);
  };
  await Promise.all(Array.from({ length: Math.min(limit, count) }, lane));
}

/**
 * Decodes `batch` into `pixels` (`plane` floats an image, room for the whole batch), at most
 * `concurrency` images in flight (sharp decodes on libuv's threads).
 */
export async function decodeBatch(batch: readonly ImageInput[], decode: DecodeInto, pixels: Float32Array, plane: number, concurrency = batch.length): Promise<DecodedBatch> {
  const errors: (string | undefined)[] = new Array(batch.length).fill(undefined);
  const decoded: number[] = [];
  await forEachLimited(batch.length, concurrency, async (k) => {
    try {
      await decode(batch[k], pixels, k * plane);
      decoded.push(k);
    } catch (err) {
      errors[k] = (err as Error).message;
    }
  });
  decoded.sort((a, b) => a - b);
  decoded.forEach((k, j) => j !== k && pixels.copyWithin(j * plane, k * plane, (k + 1) * plane));
  return { decoded, errors };
}
