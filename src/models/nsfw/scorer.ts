/**
 * One NSFW score per image, in [0, 1], from either detector: an image classifier (`classifier`,
 * score = probability of its unsafe labels) or CLIP zero-shot against prompts (`clip`).
 */
import { ClipModel } from '../clip/embed.js';
import type { Device } from '../runtime.js';
import { ImageClassifier } from '../vision/classifier.js';
import { ClipNsfwDetector } from './clip-detector.js';
import { unsafeIndices, unsafeMass } from './score.js';

export interface NsfwScorer {
  /** What counts as unsafe: label names, or the unsafe prompts. */
  readonly unsafe: readonly string[];
  /** Every label (classifier) or prompt (clip). */
  readonly labels: readonly string[];
  score(images: readonly (Uint8Array | string)[]): Promise<{ scores: (number | null)[]; errors: (string | undefined)[] }>;
  close(): Promise<void>;
}

export interface ScorerOptions {
  detector: 'classifier' | 'clip';
  variant: string;
  device: Device;
  batchSize: number;
  threads?: number;
  /** classifier: label names that count (null: by name, see score.ts). */
  unsafeLabels: readonly string[] | null;
  /** clip: the prompts. */
  unsafePrompts: readonly string[];
  safePrompts: readonly string[];
}

export async function openNsfwScorer(dir: string, o: ScorerOptions): Promise<NsfwScorer> {
  const common = { variant: o.variant, device: o.device, batchSize: o.batchSize, threads: o.threads };
  if (o.detector === 'clip') {
    const model = await ClipModel.load(dir, common);
    const detector = await ClipNsfwDetector.create(model, o.unsafePrompts, o.safePrompts);
    return { unsafe: o.unsafePrompts, labels: [...o.unsafePrompts, ...o.safePrompts], score: (images) => detector.score(images), close: () => model.close() };
  }
  const classifier = await ImageClassifier.load(dir, common);
  const indices = unsafeIndices(classifier.labels, o.unsafeLabels, dir);
  const width = classifier.labels.length;
  return {
    unsafe: indices.map((i) => classifier.labels[i]),
    labels: classifier.labels,
    async score(images) {
      const { probs, errors } = await classifier.classify(images);
      return { scores: images.map((_, k) => (errors[k] === undefined ? unsafeMass(probs, k, width, indices) : null)), errors };
    },
    close: () => classifier.close(),
  };
}
