/**
 * Where a run's WebDataset shards are. `download` writes them and `face_blur` writes blurred
 * copies; a record's `shard` column names a file in the folder of the last of those two before
 * the stage reading it. Download's shards are released (`artifacts/<i>-download/shards/`)
 * unless a `face_blur` stage follows: then they stay in the work folder (removed with it once
 * the release is made) and only the blurred copies are released, so no unblurred face ships.
 */
import path from 'node:path';
import { stageDirBeside, stageIndexOf } from '../core/stage-folder.js';

/** The stages that write shards a later stage reads through `shard` and `key`. */
export const SHARD_WRITERS = ['download', 'face_blur'];

/** Download's shard folder in its stage folder: released, or not when a face_blur comes after it. */
export function downloadShardsDir(stageDir: string, stages: readonly { name: string }[]): string {
  const index = stageIndexOf(stageDir);
  const blurredLater = stages.some((s, i) => i > index && s.name === 'face_blur');
  return path.join(stageDir, ...(blurredLater ? ['shards'] : ['artifacts', 'shards']));
}

/** face_blur's (always released) shard folder. */
export function blurredShardsDir(stageDir: string): string {
  return path.join(stageDir, 'artifacts', 'shards');
}

/** The folder the `shard` column points into, for the stage whose folder is `stageDir`. */
export function upstreamShardsDir(stageDir: string, stages: readonly { name: string }[]): string {
  const index = stageIndexOf(stageDir);
  for (let i = index - 1; i >= 0; i--) {
    if (!SHARD_WRITERS.includes(stages[i].name)) continue;
    const dir = stageDirBeside(stageDir, i, stages[i].name);
    return stages[i].name === 'download' ? downloadShardsDir(dir, stages) : blurredShardsDir(dir);
  }
  throw new Error(`stage ${path.basename(stageDir)} reads images from WebDataset shards, and no download stage comes before it`);
}
