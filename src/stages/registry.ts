import type { StageDefinition } from '../core/stage.js';
import { exactDedupStage } from './dedup-exact.js';
import { fileFilterStage } from './file-filter.js';
import { langIdStage } from './lang-id.js';
import { languageStage } from './language.js';
import { metaclipBalanceStage } from './metaclip/balance.js';
import { metaclipMatchStage } from './metaclip/match.js';

/**
 * Every stage a pipeline file can name. Adding a stage is one line here; the engine never
 * needs to know what a stage does.
 */
const STAGES: StageDefinition<any>[] = [languageStage, fileFilterStage, exactDedupStage, metaclipMatchStage, metaclipBalanceStage, langIdStage]; // eslint-disable-line @typescript-eslint/no-explicit-any

export function findStage(name: string): StageDefinition<unknown> | undefined {
  return STAGES.find((s) => s.name === name);
}

export function stageNames(): string[] {
  return STAGES.map((s) => s.name);
}

export function allStages(): readonly StageDefinition<unknown>[] {
  return STAGES;
}
