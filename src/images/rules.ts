/**
 * DataComp's "basic" filter (mlfoundations/datacomp, baselines/apply_filter.py,
 * load_uids_with_basic_filter_helper): captions of more than 2 whitespace-separated words and
 * more than 5 characters, images whose shorter original side is at least 200 pixels and whose
 * aspect ratio (longer / shorter side) is at most 3. Its English-only rule is the `lang_id`
 * stage's job. The allowed formats are ours: DataComp takes whatever the download decoded.
 */
export interface ImageRules {
  minSide: number;
  maxAspectRatio: number;
  /** sharp's format names (jpeg, png, webp, gif, ...); null allows every format. */
  formats: ReadonlySet<string> | null;
  minCaptionWords: number;
  minCaptionChars: number;
}

export const DATACOMP_BASIC = { minSide: 200, maxAspectRatio: 3, minCaptionWords: 3, minCaptionChars: 6 } as const;

/** The rule a pair breaks first, with a detail, or undefined when it passes. */
export function brokenRule(width: number, height: number, format: string | null, caption: string | null, r: ImageRules): { reason: string; detail: string } | undefined {
  const shorter = Math.min(width, height);
  if (!(shorter >= r.minSide)) return { reason: 'image_too_small', detail: `${width}×${height}` };
  const ratio = Math.max(width, height) / shorter;
  if (ratio > r.maxAspectRatio) return { reason: 'aspect_ratio', detail: ratio.toFixed(2) };
  if (r.formats && !r.formats.has(format ?? '')) return { reason: 'image_format', detail: format ?? 'unknown' };
  const text = caption ?? '';
  // Python's str.split(): runs of whitespace separate, leading and trailing ones give no word.
  const words = text.split(/\s+/).filter(Boolean).length;
  if (words < r.minCaptionWords) return { reason: 'caption_too_short', detail: `${words} words` };
  if ([...text].length < r.minCaptionChars) return { reason: 'caption_too_short', detail: `${[...text].length} characters` };
  return undefined;
}
