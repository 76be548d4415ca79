/**
 * MetaCLIP curation algorithms ("Demystifying CLIP Data", MetaCLIP 2): the reference text
 * normalisation, the substring matcher, metadata loading/building, balancing and the choice
 * of the threshold t. Pure functions and classes; the pipeline stages live elsewhere.
 */
export { spacing } from './spacing.js';
export { MetaclipMatcher, paddedKey, isUnpaddedCodePoint, transferList, type MatcherOptions, type MatcherStats, type MatcherTransferable, type PaddingRule } from './automaton.js';
export {
  loadMetadata,
  loadMetadataSync,
  parseMetadata,
  buildMetadata,
  assembleMetadata,
  wordnetHeadLemmas,
  defaultWordnetDir,
  unigramsFromCounts,
  bigramsByPmi,
  bigramPmi,
  titlesFromViews,
  readCountFile,
  compareCodePoints,
  type AssembledMetadata,
  type BuildMetadataOptions,
  type MetadataSource,
} from './metadata.js';
export { drawKey, uniform, uniformForEntry, fnv1a64, CHOICE_STREAM, KEEP_STREAM, type DrawKey } from './draw.js';
export { entryProbabilities, keepProbability, keepText, curateImage, addCounts, type ImageText, type ImageDecision } from './balance.js';
export {
  tailShare,
  thresholdForTailShare,
  perLanguageThresholds,
  expectedEntryLevelSize,
  thresholdForEntryLevelSize,
  expectedTextLevelSize,
  thresholdForTextLevelSize,
  TextLevelSizeEstimator,
  type TextLevelSolution,
} from './threshold.js';
