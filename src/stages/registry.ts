import type { StageDefinition } from '../core/stage.js';

type AnyStage = StageDefinition<any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * Every stage a pipeline file can name, loaded only when a pipeline names it: a stage's
 * dependencies (Linguist's tables, fastText, DuckDB) cost a run that does not use it nothing.
 * Adding a stage is one line here; the engine never needs to know what a stage does.
 */
const STAGES: Record<string, () => Promise<AnyStage>> = {
  language: async () => (await import('./language.js')).languageStage,
  file_filter: async () => (await import('./file-filter.js')).fileFilterStage,
  dedup_exact: async () => (await import('./dedup-exact.js')).exactDedupStage,
  metaclip_match: async () => (await import('./metaclip/match.js')).metaclipMatchStage,
  metaclip_balance: async () => (await import('./metaclip/balance.js')).metaclipBalanceStage,
  lang_id: async () => (await import('./lang-id.js')).langIdStage,
  secrets: async () => (await import('./secrets.js')).secretsStage,
  pii: async () => (await import('./pii.js')).piiStage,
  optout: async () => (await import('./optout.js')).optoutStage,
  decontaminate: async () => (await import('./decontaminate.js')).decontaminateStage,
  license: async () => (await import('./license.js')).licenseStage,
  near_dedup: async () => (await import('./near-dedup.js')).nearDedupStage,
  clip_score: async () => (await import('./clip-score.js')).clipScoreStage,
  clip_score_top: async () => (await import('./clip-score-top.js')).clipScoreTopStage,
  zero_shot: async () => (await import('./zero-shot.js')).zeroShotStage,
  download: async () => (await import('./download.js')).downloadStage,
  image_filter: async () => (await import('./image-filter.js')).imageFilterStage,
  image_near_dedup: async () => (await import('./image-near-dedup.js')).imageNearDedupStage,
  face_blur: async () => (await import('./face-blur.js')).faceBlurStage,
  nsfw: async () => (await import('./nsfw.js')).nsfwStage,
  ner: async () => (await import('./ner.js')).nerStage,
  embed: async () => (await import('./embed.js')).embedStage,
  semantic_dedup: async () => (await import('./semantic-dedup.js')).semanticDedupStage,
  vector_index: async () => (await import('./vector-index.js')).vectorIndexStage,
  review: async () => (await import('./review.js')).reviewStage,
};

export async function findStage(name: string): Promise<StageDefinition<unknown> | undefined> {
  return Object.hasOwn(STAGES, name) ? STAGES[name]() : undefined;
}

export function stageNames(): string[] {
  return Object.keys(STAGES);
}

export async function allStages(): Promise<readonly StageDefinition<unknown>[]> {
  return Promise.all(Object.values(STAGES).map((load) => load()));
}
