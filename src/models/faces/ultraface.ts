/**
 * The UltraFace face detector through ONNX Runtime. Contract (ONNX Model Zoo's
 * version-RFB-320.onnx; -640 is the same at 640×480):
 *   input  `input`  float32 [1, 3, 240, 320]: RGB resized to 320×240 without keeping the ratio
 *          (cv2.resize, bilinear), (pixel − 127) / 128, channels first;
 *   output `scores` float32 [1, 4420, 2] and `boxes` float32 [1, 4420, 4] (see decode.ts).
 * One image per call: the zoo's files fix the batch at 1. The input size is read from the model
 * when it declares one.
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { resolveModelDir } from '../loading.js';
import { createSession, type Device, type LoadedSession, ort } from '../runtime.js';
import { decodeFaces, type FaceBox, offsetsToCorners, ultraFacePriors } from './decode.js';

export const ULTRAFACE_MEAN = 127;
export const ULTRAFACE_SCALE = 1 / 128;

export interface UltraFaceOptions {
  /** The `.onnx` file inside a model folder (or hub snapshot). */
  file?: string;
  /** `corners`: the export decodes its boxes (the zoo's); `offsets`: raw SSD offsets, decoded here. */
  boxes?: 'corners' | 'offsets';
  /** Input size when the model does not declare it. */
  inputWidth?: number;
  inputHeight?: number;
  threshold?: number;
  iou?: number;
  device?: Device;
  threads?: number;
}

export const DEFAULT_FACE_FILE = 'version-RFB-320.onnx';

/** The ONNX file `source` names: itself when it is one, else `file` in the folder or hub snapshot. */
export async function ultraFaceFile(source: string, file = DEFAULT_FACE_FILE): Promise<string> {
  if (source.endsWith('.onnx') && statSync(source, { throwIfNoEntry: false })?.isFile()) return source;
  return path.join(await resolveModelDir(source, { files: [file] }), file);
}

/** RGB bytes (interleaved, width × height) → the model's input tensor data. */
export async function ultraFaceInput(rgb: Buffer, width: number, height: number, inputWidth: number, inputHeight: number): Promise<Float32Array> {
  const resized = await sharp(rgb, { raw: { width, height, channels: 3 } })
    .resize(inputWidth, inputHeight, { kernel: 'linear', fit: 'fill', fastShrinkOnLoad: false })
    .raw()
    .toBuffer();
  const plane = inputWidth * inputHeight;
  const out = new Float32Array(3 * plane);
  for (let i = 0; i < plane; i++) for (let c = 0; c < 3; c++) out[c * plane + i] = (resized[3 * i + c] - ULTRAFACE_MEAN) * ULTRAFACE_SCALE;
  return out;
}

export class UltraFaceDetector {
  private priors?: Float32Array;

  private constructor(
    private readonly loaded: LoadedSession,
    readonly file: string,
    readonly inputWidth: number,
    readonly inputHeight: number,
    private readonly options: UltraFaceOptions,
  ) {}

  static async load(source: string, options: UltraFaceOptions = {}): Promise<UltraFaceDetector> {
    const file = await ultraFaceFile(source, options.file);
    const loaded = await createSession(file, { device: options.device, threads: options.threads });
    const declared = loaded.session.inputMetadata?.[0];
    const shape = declared && 'shape' in declared ? declared.shape : [];
    const fixed = (d: unknown, fallback: number) => (typeof d === 'number' && d > 0 ? d : fallback);
    return new UltraFaceDetector(loaded, file, fixed(shape[3], options.inputWidth ?? 320), fixed(shape[2], options.inputHeight ?? 240), options);
  }

  get provider(): 'cuda' | 'cpu' {
    return this.loaded.provider;
  }

  /** Faces in an RGB image (interleaved bytes), in its pixels, best first. */
  async detect(rgb: Buffer, width: number, height: number): Promise<FaceBox[]> {
    const { session } = this.loaded;
    const input = await ultraFaceInput(rgb, width, height, this.inputWidth, this.inputHeight);
    const out = await session.run({ [session.inputNames[0]]: new ort.Tensor('float32', input, [1, 3, this.inputHeight, this.inputWidth]) });
    const scores = (out.scores ?? out[session.outputNames[0]]).data as Float32Array;
    let boxes: Float32Array = new Float32Array((out.boxes ?? out[session.outputNames[1]]).data as Float32Array);
    if (this.options.boxes === 'offsets') boxes = offsetsToCorners(boxes, (this.priors ??= ultraFacePriors(this.inputWidth, this.inputHeight)));
    return decodeFaces(scores, boxes, { threshold: this.options.threshold ?? 0.7, iou: this.options.iou ?? 0.3, width, height });
  }

  async close(): Promise<void> {
    await this.loaded.session.release();
  }
}
