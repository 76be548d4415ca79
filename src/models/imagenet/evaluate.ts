/**
 * `thresher eval zeroshot`: CLIP zero-shot classification of an ImageNet-style folder, and its
 * report (models/imagenet/metrics.ts). Class names and templates come from files the user
 * passes; the WordNet figures need each class's WordNet 3.1 synset: from the class file
 * (`wnid_wn31`) or from its 3.0 WNIDs through a mapping file.
 */
import { type ClassInfo, readClassList, readTemplates, readWnidLines } from '../clip/class-lists.js';
import { ClipModel, type ClipModelOptions } from '../clip/embed.js';
import { CLIP_LOGIT_SCALE, classEmbeddings, rankClasses } from '../clip/zero-shot.js';
import { readClassFolder, readWnidMap } from './folder.js';
import { type Prediction, zeroShotReport, type ZeroShotReport } from './metrics.js';
import { offsetOfWnid, WordNetNouns } from './wordnet.js';

export interface ZeroShotEvalOptions extends ClipModelOptions {
  model: string;
  classesFile: string;
  /** JSON array of templates; default CLIP's single `a photo of a {}.` */
  templatesFile?: string;
  /** LOC_synset_mapping.txt-style WNIDs in class order, for a class file of bare names. */
  wnidsFile?: string;
  /** WordNet 3.0 → 3.1 map (TSV) for classes with 3.0 WNIDs only. */
  wnidMapFile?: string;
  maxLevel?: number;
  subtreeDepth?: number;
  /** Called after each chunk of images: done, total. */
  progress?: (done: number, total: number) => void;
}

export interface ImagePrediction {
  file: string;
  truth: number;
  top: number[];
  probs: number[];
}

export interface ZeroShotEval {
  report: ZeroShotReport;
  predictions: ImagePrediction[];
  excluded: { file: string; reason: string; detail: string }[];
  classes: ClassInfo[];
  /** Why there are no WordNet figures, when there are none. */
  hierarchyNote?: string;
  provider: string;
}

function loadClasses(o: ZeroShotEvalOptions): ClassInfo[] {
  const classes = readClassList(o.classesFile);
  if (o.wnidsFile) {
    const wnids = readWnidLines(o.wnidsFile);
    for (const c of classes) c.wnid ??= wnids[c.index];
  }
  return classes;
}

/** Each class's WordNet 3.1 offset, or why there are none. */
function synsets(classes: ClassInfo[], o: ZeroShotEvalOptions): Map<number, number> | string {
  const map = o.wnidMapFile ? readWnidMap(o.wnidMapFile) : undefined;
  const out = new Map<number, number>();
  for (const c of classes) {
    if (c.wnid31) out.set(c.index, offsetOfWnid(c.wnid31));
    else if (c.wnid && map?.has(offsetOfWnid(c.wnid))) out.set(c.index, map.get(offsetOfWnid(c.wnid))!);
  }
  if (out.size > 0) return out;
  return map ? 'no class WNID is in the WordNet map' : 'no WordNet 3.1 synsets: give a class file with wnid_wn31, or WNIDs and --wnid-map (WordNet 3.0 → 3.1)';
}

const CHUNK = 256;

export async function evaluateZeroShot(folder: string, o: ZeroShotEvalOptions): Promise<ZeroShotEval> {
  const classes = loadClasses(o);
  const images = readClassFolder(folder, classes);
  const templates = o.templatesFile ? readTemplates(o.templatesFile) : ['a photo of a {}.'];
  const model = await ClipModel.load(o.model, o);
  try {
    const names = classes.map((c) => c.name);
    const classRows = await classEmbeddings(model, names, templates);
    const logits = new Float64Array(classes.length);
    const predictions: ImagePrediction[] = [];
    const excluded: ZeroShotEval['excluded'] = [];
    for (let start = 0; start < images.length; start += CHUNK) {
      const chunk = images.slice(start, start + CHUNK);
      const { embeddings, errors } = await model.embedImages(chunk.map((i) => i.file));
      const dim = classRows.length / classes.length;
      chunk.forEach((img, k) => {
        if (errors[k] !== undefined) return void excluded.push({ file: img.file, reason: 'image_undecodable', detail: errors[k]! });
        const ranked = rankClasses(embeddings, k, classRows, dim, 5, CLIP_LOGIT_SCALE, logits);
        predictions.push({ file: img.file, truth: img.truth, top: Array.from(ranked.classes, (c) => classes[c].index), probs: Array.from(ranked.probs) });
      });
      o.progress?.(Math.min(start + CHUNK, images.length), images.length);
    }
    const offsets = synsets(classes, o);
    const provider = await model.provider();
    if (typeof offsets === 'string') return { report: zeroShotReport(predictions), predictions, excluded, classes, hierarchyNote: offsets, provider };
    const wordnet = new WordNetNouns();
    try {
      const report = zeroShotReport(predictions as Prediction[], { hierarchy: wordnet, synsetOf: (c) => offsets.get(c), maxLevel: o.maxLevel, subtreeDepth: o.subtreeDepth });
      return { report, predictions, excluded, classes, provider };
    } finally {
      wordnet.close();
    }
  } finally {
    await model.close();
  }
}
