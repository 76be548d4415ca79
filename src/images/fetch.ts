import { THRESHER_VERSION } from '../core/version.js';
import { optOutDirective, USER_AGENT_TOKEN } from './optout.js';

/** How one URL is fetched; times in milliseconds. */
export interface FetchOptions {
  /** Whole request (headers and body) of one attempt. */
  timeoutMs: number;
  /** Attempts after the first, for failures that may pass (timeout, network, 429, 5xx). */
  retries: number;
  /** First wait before a retry; doubled each time (exponential backoff). */
  backoffMs: number;
  maxRedirects: number;
  /** Bodies larger than this are cut off and fail as too_large. */
  maxBytes: number;
  userAgent: string;
  /** X-Robots-Tag directives that opt an image out; empty: opt-outs are not honoured. */
  disallowed: readonly string[];
}

export const DEFAULT_USER_AGENT = `${USER_AGENT_TOKEN}/${THRESHER_VERSION} (image-text dataset curation; honours X-Robots-Tag noai, noimageai, noindex, noimageindex for "${USER_AGENT_TOKEN}")`;

export type FetchResult =
  { ok: true; bytes: Buffer; contentType: string; finalUrl: string; attempts: number; redirects: number } | { ok: false; reason: string; detail: string; attempts: number; retryable?: boolean };

/** Failures worth another attempt: the server or the network may do better next time. */
const RETRYABLE_STATUS = new Set([408, 425, 429, 500, 502, 503, 504]);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Fetch `url` with retries and exponential backoff; every failure named by its reason. */
export async function fetchWithRetries(url: string, o: FetchOptions): Promise<FetchResult> {
  let last: FetchResult = { ok: false, reason: 'network_error', detail: 'not attempted', attempts: 0 };
  for (let attempt = 0; attempt <= o.retries; attempt++) {
    if (attempt > 0) await sleep(o.backoffMs * 2 ** (attempt - 1));
    const r = await fetchOnce(url, o);
    last = r.ok ? { ...r, attempts: attempt + 1 } : { ...r, attempts: attempt + 1 };
    if (r.ok || !r.retryable) break;
  }
  if (!last.ok) delete last.retryable;
  return last;
}

/** One attempt: follows redirects itself (to cap them and catch loops), reads the body within the limits. */
async function fetchOnce(url: string, o: FetchOptions): Promise<FetchResult> {
  const signal = AbortSignal.timeout(o.timeoutMs);
  const seen = new Set<string>();
  let current = url;
  try {
    for (let hop = 0; ; hop++) {
      seen.add(current);
      const res = await fetch(current, { redirect: 'manual', signal, headers: { 'user-agent': o.userAgent, accept: 'image/*,*/*;q=0.8' } });
      if (res.status >= 300 && res.status < 400 && res.headers.has('location')) {
        await res.body?.cancel();
        const next = new URL(res.headers.get('location')!, current).href;
        if (seen.has(next)) return { ok: false, reason: 'redirect_loop', detail: `${current} → ${next}`, attempts: 0 };
        if (hop >= o.maxRedirects) return { ok: false, reason: 'too_many_redirects', detail: `more than ${o.maxRedirects}`, attempts: 0 };
        current = next;
        continue;
      }
      if (res.status !== 200) {
        await res.body?.cancel();
        return { ok: false, reason: `http_${res.status}`, detail: res.statusText, attempts: 0, retryable: RETRYABLE_STATUS.has(res.status) };
      }
      const robots = res.headers.get('x-robots-tag');
      const optOut = robots === null || o.disallowed.length === 0 ? undefined : optOutDirective([robots], o.disallowed);
      if (optOut) {
        await res.body?.cancel();
        return { ok: false, reason: 'opted_out', detail: `X-Robots-Tag: ${optOut}`, attempts: 0 };
      }
      return await readBody(res, current, hop, o);
    }
  } catch (err) {
    return failureOf(err, signal);
  }
}

async function readBody(res: Response, finalUrl: string, redirects: number, o: FetchOptions): Promise<FetchResult> {
  const declared = Number(res.headers.get('content-length') ?? NaN);
  if (declared > o.maxBytes) {
    await res.body?.cancel();
    return { ok: false, reason: 'too_large', detail: `Content-Length ${declared} > ${o.maxBytes}`, attempts: 0 };
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = res.body!.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > o.maxBytes) {
        await reader.cancel();
        return { ok: false, reason: 'too_large', detail: `body over ${o.maxBytes} bytes`, attempts: 0 };
      }
      chunks.push(value);
    }
  } catch (err) {
    // The connection ended before the declared length: a truncated body, not a slow one.
    if (Number.isFinite(declared) && size < declared && !(err instanceof DOMException)) return { ok: false, reason: 'truncated', detail: `${size} of ${declared} bytes`, attempts: 0, retryable: true };
    throw err;
  }
  const bytes = Buffer.concat(chunks, size);
  return { ok: true, bytes, contentType: res.headers.get('content-type') ?? '', finalUrl, attempts: 0, redirects };
}

function failureOf(err: unknown, signal: AbortSignal): FetchResult {
  if (signal.aborted) return { ok: false, reason: 'timeout', detail: 'no complete answer in time', attempts: 0, retryable: true };
  const e = err as Error & { cause?: { code?: string; message?: string } };
  if (e instanceof TypeError && /invalid url|failed to parse url/i.test(e.message + (e.cause?.message ?? ''))) return { ok: false, reason: 'invalid_url', detail: e.message, attempts: 0 };
  const code = e.cause?.code ?? '';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return { ok: false, reason: 'dns_error', detail: code, attempts: 0, retryable: code === 'EAI_AGAIN' };
  return { ok: false, reason: 'network_error', detail: `${code || e.name}: ${e.cause?.message ?? e.message}`, attempts: 0, retryable: true };
}
