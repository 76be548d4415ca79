/**
 * Starts jobs in input order under two limits: at most `total` at once, and at most `perHost`
 * at once against one host. A job waiting for a busy host never holds a slot, so one slow host
 * cannot stall the others (head-of-line blocking): the queue starts the first job, in input
 * order, whose host has room. Each host keeps its own FIFO; a heap orders the hosts that could
 * start a job now by their first job's arrival, so a start costs O(log hosts), not a scan of
 * every waiting job (a batch of 4,096 URLs of one host would make that quadratic).
 */
interface Job<T> {
  seq: number;
  run: () => Promise<T>;
  done: (v: T) => void;
  fail: (e: unknown) => void;
}

interface HostState<T> {
  jobs: Job<T>[];
  head: number;
  busy: number;
  ready: boolean; // in the heap
}

export class HostLimitedQueue<T> {
  private readonly hosts = new Map<string, HostState<T>>();
  /** Hosts with a waiting job and room, as [first job's seq, host], smallest seq on top. */
  private readonly heap: [number, string][] = [];
  private active = 0;
  private seq = 0;

  constructor(
    private readonly total: number,
    private readonly perHost: number,
  ) {}

  /** Runs `job` when the limits allow; resolves with its result. */
  push(host: string, job: () => Promise<T>): Promise<T> {
    return new Promise<T>((done, fail) => {
      let h = this.hosts.get(host);
      if (!h) this.hosts.set(host, (h = { jobs: [], head: 0, busy: 0, ready: false }));
      h.jobs.push({ seq: this.seq++, run: job, done, fail });
      this.markReady(host, h);
      this.pump();
    });
  }

  private markReady(host: string, h: HostState<T>): void {
    if (h.ready || h.head >= h.jobs.length || h.busy >= this.perHost) return;
    h.ready = true;
    heapPush(this.heap, [h.jobs[h.head].seq, host]);
  }

  private pump(): void {
    while (this.active < this.total && this.heap.length > 0) {
      const [, host] = heapPop(this.heap);
      const h = this.hosts.get(host)!;
      h.ready = false;
      const job = h.jobs[h.head++];
      if (h.head === h.jobs.length) {
        h.jobs = [];
        h.head = 0;
      }
      this.active++;
      h.busy++;
      this.markReady(host, h);
      job
        .run()
        .then(job.done, job.fail)
        .finally(() => {
          this.active--;
          h.busy--;
          if (h.busy === 0 && h.jobs.length === 0) this.hosts.delete(host);
          else this.markReady(host, h);
          this.pump();
        });
    }
  }
}

function heapPush(heap: [number, string][], item: [number, string]): void {
  heap.push(item);
  for (let i = heap.length - 1; i > 0;) {
    const parent = (i - 1) >> 1;
    if (heap[parent][0] <= heap[i][0]) break;
    [heap[parent], heap[i]] = [heap[i], heap[parent]];
    i = parent;
  }
}

function heapPop(heap: [number, string][]): [number, string] {
  const top = heap[0];
  const last = heap.pop()!;
  if (heap.length > 0) {
    heap[0] = last;
    for (let i = 0; ;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heap.length && heap[l][0] < heap[m][0]) m = l;
      if (r < heap.length && heap[r][0] < heap[m][0]) m = r;
      if (m === i) break;
      [heap[m], heap[i]] = [heap[i], heap[m]];
      i = m;
    }
  }
  return top;
}

/** The host part of a URL (lowercase), or '' when it does not parse: such a job fails at fetch. */
export function hostOf(url: string): string {
  try {
    return new URL(url).host.toLowerCase();
  } catch {
    return '';
  }
}
