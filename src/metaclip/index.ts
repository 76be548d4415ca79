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
  fileLines,
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
export { OTHER, SHIPPED_ROUTING, LanguageRouter, loadRoutingTable, parseRoutingTable, metadataLanguageOfEdition, routingTargets, type Route, type RouteKind, type RoutingTable } from './routing.js';
export { buildLanguageMetadata, bigramPmiScores, REFERENCE_CAPS, type Caps, type LanguageSources, type LanguageMetadata } from './build/language.js';
export { countWikiText, countTokens, tokenize, newNgramCounts, StringCounter, type NgramCounts } from './build/ngrams.js';
export { omwLemmas, OMW_TO_WIKI } from './build/omw.js';
export { titleViewsFromPageviews, titleViewsFromCounts, editionOfDomain } from './build/titles.js';
export { intlSegmenter, loadSegmenter, type WordSegmenter } from './build/segmenter.js';
export { NO_SPACE_LANGUAGES, cleanEntry, simpleTokens, isPurePunctuation } from './build/text.js';
export { mergeEditions, editionOfFile, type EditionFile, type MergedMetadata } from './build/merge.js';
