import path from 'node:path';
import { InputError } from '../../core/errors.js';
import { globToRegExp, isGlob } from '../glob.js';
import { S3Store } from './s3.js';
import { asPrefix, parseS3Url } from './url.js';

/** One object an `s3://` input names: its URL, its source name, and what identifies its version. */
export interface S3InputObject {
  url: string;
  rel: string;
  bytes: number;
  mtimeMs: number;
}

/** Keys below a prefix whose segments start with `.`: thresher's own (claims) and hidden objects, skipped like hidden files. */
const hidden = (rel: string) => rel.split('/').some((p) => p.startsWith('.'));

/**
 * An `s3://bucket/...` input: an object, every accepted object below a prefix (a "folder"), or a
 * glob over the keys below its fixed leading segments. Source names are relative to the prefix
 * (an object is named by its last segment), as for local folders and globs.
 */
export async function expandS3Input(given: string, accept: (name: string) => boolean, kind: string): Promise<S3InputObject[]> {
  const { bucket, key } = parseS3Url(given);
  const store = new S3Store(bucket);
  const found = (prefix: string, k: { key: string; bytes: number; mtimeMs: number }) => ({ url: store.url(k.key), rel: k.key.slice(prefix.length), bytes: k.bytes, mtimeMs: k.mtimeMs });
  if (isGlob(key)) {
    const parts = key.split('/');
    const fixed: string[] = [];
    while (parts.length > 1 && !isGlob(parts[0])) fixed.push(parts.shift() as string);
    const prefix = fixed.length ? `${fixed.join('/')}/` : '';
    const re = globToRegExp(parts.join('/'));
    const matched = (await store.list(prefix)).map((o) => found(prefix, o)).filter((o) => !hidden(o.rel) && re.test(o.rel));
    if (matched.length === 0) throw new InputError(given, `no ${kind} objects match`);
    return matched;
  }
  if (key !== '' && !key.endsWith('/')) {
    const st = await store.stat(key);
    if (st) return [{ url: given, rel: path.posix.basename(key), bytes: st.bytes, mtimeMs: st.mtimeMs }];
  }
  const prefix = asPrefix(key);
  const below = (await store.list(prefix)).map((o) => found(prefix, o)).filter((o) => !hidden(o.rel));
  const picked = below.filter((o) => accept(path.posix.basename(o.rel)));
  if (picked.length === 0) throw new InputError(given, below.length ? `no ${kind} objects under this prefix` : 'no such key or prefix');
  return picked;
}

/** The bytes of an object from `start`, for the line readers. */
export function readS3Object(url: string, start = 0, end?: number): AsyncIterable<Buffer> {
  const { bucket, key } = parseS3Url(url);
  return new S3Store(bucket).read(key, { start, end });
}
