import path from 'node:path';
import type { RunLayout } from './layout.js';
import type { Step } from './plan.js';

/**
 * Which files of the steps before it a task of `step` (rank `rank`) reads, as a test on a
 * file's path and the task whose marker names it: the folders of the stages it runs (a reduce
 * step's stage; a segment's applied, mapped and observed stages), and for a segment after a
 * barrier the shards the segment before wrote for the same rank. Everything else (excluded
 * records, the other ranks' shards, the release's data) is left where it is.
 */
export function wantedBy(layout: RunLayout, step: Step, rank: number): (path: string, producer: string, producerRank: number) => boolean {
  const stages = step.kind === 'reduce' ? [step.stage] : [step.segment.applies, step.segment.observes, ...step.segment.maps].filter((s) => s !== undefined);
  const stageDirs = stages.map((s) => rel(layout, layout.stageDir(s.index, s.name)));
  const before = step.kind === 'segment' && step.segment.index > 0 ? { step: `segment-${step.segment.index - 1}`, dir: rel(layout, layout.segmentDataDir(step.segment.index - 1)) } : undefined;
  return (p, producer, producerRank) => stageDirs.some((d) => p.startsWith(d)) || (before !== undefined && producer === before.step && producerRank === rank && p.startsWith(before.dir));
}

/** `dir` relative to the layout's work folder, as a key prefix ending in `/`. */
export function rel(layout: RunLayout, dir: string): string {
  return path.relative(layout.workDir, dir).split(path.sep).join('/') + '/';
}
