import { createWriteStream } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ensureDir, removeIfExists } from '../core/fs.js';
import { asPrefix, storeFor } from '../io/storage/index.js';
import { verifyRelease, type VerifyOptions, type VerifyResult } from './verify.js';

/**
 * `thresher verify s3://bucket/prefix/vN`: every object under the release's prefix is fetched
 * into a temporary folder and checked exactly as a local release is (digest, counts, each
 * listed file's size, sha256 and rows, and anything the manifest does not name), then the
 * problems name the objects. Trusts only the manifest: objects under a prefix without one are
 * "not a thresher release".
 */
export async function verifyStoredRelease(url: string, options: VerifyOptions = {}): Promise<VerifyResult> {
  const { store, key } = storeFor(url);
  const prefix = asPrefix(key);
  const objects = await store.list(prefix);
  const temp = await mkdtemp(path.join(os.tmpdir(), 'thresher-verify-'));
  try {
    for (const o of objects) {
      const rel = o.key.slice(prefix.length);
      if (rel === '' || rel.split('/').some((p) => p === '..' || p === '.')) continue;
      const local = path.join(temp, ...rel.split('/'));
      ensureDir(path.dirname(local));
      await pipeline(Readable.from(store.read(o.key)), createWriteStream(local));
    }
    const base = store.url(prefix);
    const rename = (file: string) => (file.startsWith(temp) ? base + path.relative(temp, file).split(path.sep).join('/') : file);
    const warn = options.warn;
    const result = await verifyRelease(temp, { warn: warn ? (w) => warn({ ...w, file: rename(w.file) }) : () => undefined });
    const named = (list: VerifyResult['problems']) => list.map((p) => ({ ...p, file: rename(p.file) }));
    return { ...result, problems: named(result.problems), warnings: named(result.warnings) };
  } finally {
    removeIfExists(temp);
  }
}
