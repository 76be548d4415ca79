/**
 * Starts jobs in input order under two limits: at most `total` at once, and at most `perHost`
 * at once against one host. A job waiting for a busy host never holds a slot, so one slow host
 * cannot stall the others (head-of-line blocking): the queue starts the first job, in input
 * order, whose host has room.
 */
export class HostLimitedQueue<T> {
  private readonly pending: { host: string; run: () => Promise<T>; done: (v: T) => void; fail: (e: unknown) => void }[] = [];
  private readonly busy = new Map<string, number>();
  private active = 0;

  constructor(
    private readonly total: number,
    private readonly perHost: number,
  ) {}

  /** Runs `job` when the limits allow; resolves with its result. */
  push(host: string, job: () => Promise<T>): Promise<T> {
    return new Promise<T>((done, fail) => {
      this.pending.push({ host, run: job, done, fail });
      this.pump();
    });
  }

  private pump(): void {
    for (let k = 0; k < this.pending.length && this.active < this.total;) {
      const next = this.pending[k];
      if ((this.busy.get(next.host) ?? 0) >= this.perHost) {
        k++;
        continue;
      }
      this.pending.splice(k, 1);
      this.active++;
      this.busy.set(next.host, (this.busy.get(next.host) ?? 0) + 1);
      next
        .run()
        .then(next.done, next.fail)
        .finally(() => {
          this.active--;
          const left = this.busy.get(next.host)! - 1;
          if (left === 0) this.busy.delete(next.host);
          else this.busy.set(next.host, left);
          this.pump();
        });
    }
  }
}

/** The host part of a URL (lowercase), or '' when it does not parse: such a job fails at fetch. */
export function hostOf(url: string): string {
  try {
    return new URL(url).host.toLowerCase();
  } catch {
    return '';
  }
}
