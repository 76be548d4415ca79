import cliProgress from 'cli-progress';
import type { TaskState } from './task-states.js';

export interface SlurmProgress {
  update(step: string, counts: Record<TaskState, number>, total: number): void;
  stop(): void;
}

/**
 * `--wait`'s display: one bar over every submitted task (plus finalize) on a terminal; in logs
 * and CI, a line whenever the counts change.
 */
export function createSlurmProgress(stream: NodeJS.WriteStream = process.stderr): SlurmProgress {
  const tty = Boolean(stream.isTTY) && !process.env.CI;
  let bar: cliProgress.SingleBar | undefined;
  let lastLine = '';
  const started = performance.now();
  return {
    update(step, c, total) {
      const fields = { step, running: c.running, pending: c.pending, failed: c.failed };
      if (tty) {
        if (!bar) {
          bar = new cliProgress.SingleBar(
            { format: 'slurm [{bar}] {value}/{total} tasks | {step} | running {running} · pending {pending} · failed {failed} | {duration_formatted}', hideCursor: true, stream, barsize: 28 },
            cliProgress.Presets.shades_classic,
          );
          bar.start(total, c.done, fields);
        }
        bar.setTotal(total);
        bar.update(c.done, fields);
        return;
      }
      const line = `slurm: ${c.done}/${total} tasks done · ${step} · running ${c.running} · pending ${c.pending} · failed ${c.failed}`;
      if (line !== lastLine) stream.write(`${line} · ${((performance.now() - started) / 1000).toFixed(0)}s\n`);
      lastLine = line;
    },
    stop() {
      bar?.stop();
      bar = undefined;
    },
  };
}

export const silentSlurmProgress: SlurmProgress = { update() {}, stop() {} };
