import cliProgress from 'cli-progress';

export interface ProgressSink {
  start(step: string, total: number, unit: 'bytes' | 'records', tasks: number): void;
  update(done: number, tasksDone: number): void;
  stop(): void;
}

function human(n: number, unit: 'bytes' | 'records'): string {
  if (unit === 'bytes') {
    const units = ['B', 'KB', 'MB', 'GB', 'TB'];
    let i = 0;
    while (n >= 1000 && i < units.length - 1) {
      n /= 1000;
      i++;
    }
    return `${n.toFixed(i === 0 ? 0 : 1)} ${units[i]}`;
  }
  return n >= 1e6 ? `${(n / 1e6).toFixed(2)}M` : n >= 1e3 ? `${(n / 1e3).toFixed(1)}k` : String(Math.round(n));
}

function eta(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  const s = Math.round(seconds);
  return s >= 3600 ? `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m` : s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

/** A bar with rate and ETA on a terminal; a plain line every `everyMs` otherwise (logs, CI, Slurm). */
export function createProgress(stream: NodeJS.WriteStream = process.stderr, everyMs = 10_000): ProgressSink {
  const tty = Boolean(stream.isTTY) && !process.env.CI;
  let bar: cliProgress.SingleBar | undefined;
  let step = '';
  let total = 0;
  let tasks = 0;
  let unit: 'bytes' | 'records' = 'records';
  let started = 0;
  let lastLine = 0;
  let last = { done: 0, tasksDone: 0 };
  const line = () => {
    const secs = (performance.now() - started) / 1000;
    const rate = last.done / Math.max(secs, 1e-3);
    if (total <= 0) return `${step}: ${human(last.done, unit)} · ${human(rate, unit)}/s · tasks ${last.tasksDone}/${tasks}`;
    const pct = Math.min(100, (100 * last.done) / total);
    return `${step}: ${pct.toFixed(0)}% ${human(last.done, unit)}/${human(total, unit)} · ${human(rate, unit)}/s · tasks ${last.tasksDone}/${tasks} · ETA ${eta((total - last.done) / rate)}`;
  };
  return {
    start(s, t, u, n) {
      step = s;
      total = t;
      unit = u;
      tasks = n;
      started = performance.now();
      lastLine = started;
      last = { done: 0, tasksDone: 0 };
      if (tty) {
        bar = new cliProgress.SingleBar(
          { format: `${s} [{bar}] {percentage}% | {doneh}/{totalh} | {rateh}/s | tasks {tasksDone}/${n} | ETA {etah}`, hideCursor: true, stream, barsize: 28 },
          cliProgress.Presets.shades_classic,
        );
        bar.start(Math.max(t, 1), 0, { doneh: '0', totalh: human(t, u), rateh: '0', tasksDone: 0, etah: '?' });
      }
    },
    update(done, tasksDone) {
      last = { done, tasksDone };
      if (bar) {
        const secs = (performance.now() - started) / 1000;
        const rate = done / Math.max(secs, 1e-3);
        // Unknown total: the bar tracks tasks instead, the counter still shows records and rate.
        const value = total > 0 ? Math.min(done, total) : tasksDone;
        bar.setTotal(total > 0 ? total : tasks);
        bar.update(value, { doneh: human(done, unit), totalh: total > 0 ? human(total, unit) : '?', rateh: human(rate, unit), tasksDone, etah: total > 0 ? eta((total - done) / rate) : '?' });
      } else if (performance.now() - lastLine >= everyMs) {
        lastLine = performance.now();
        stream.write(line() + '\n');
      }
    },
    stop() {
      if (bar) {
        bar.stop();
        bar = undefined;
      } else {
        stream.write(line() + ` · done in ${((performance.now() - started) / 1000).toFixed(1)}s\n`);
      }
    },
  };
}

export const silentProgress: ProgressSink = { start() {}, update() {}, stop() {} };
