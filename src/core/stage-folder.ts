import path from 'node:path';

/**
 * How a stage's work folder is named (`<index>-<name>`, under the run's `stages/`; RunLayout
 * places it): here so that a stage reading another stage's files (face_blur reading download's
 * shards) finds it from its own folder without knowing the engine.
 */
export function stageFolder(index: number, name: string): string {
  return `${index}-${name}`;
}

/** Another stage's folder, seen from a stage that knows only its own (`MapTaskInfo.stageDir`). */
export function stageDirBeside(stageDir: string, index: number, name: string): string {
  return path.join(path.dirname(stageDir), stageFolder(index, name));
}

/** The pipeline position of the stage whose folder is `stageDir`. */
export function stageIndexOf(stageDir: string): number {
  const m = /^(\d+)-/.exec(path.basename(stageDir));
  if (!m) throw new Error(`${stageDir}: not a stage folder`);
  return Number(m[1]);
}
