/** `s3://bucket/key` URLs: the only remote scheme thresher reads and publishes to. */
export interface S3Location {
  bucket: string;
  /** the object key or prefix, without a leading `/` ('' for the whole bucket) */
  key: string;
}

export function isS3Url(p: string): boolean {
  return /^s3:\/\//i.test(p);
}

/** Parses `s3://bucket/key`; a bucket name must be there, the key may be empty. */
export function parseS3Url(url: string): S3Location {
  const m = /^s3:\/\/([^/]+)\/?(.*)$/i.exec(url);
  if (!m) throw new Error(`${url}: not an s3://bucket/key URL`);
  return { bucket: m[1], key: m[2] };
}

export function s3Url(loc: S3Location): string {
  return `s3://${loc.bucket}/${loc.key}`;
}

/** `prefix` as a folder: '' or ending in one `/`. */
export function asPrefix(key: string): string {
  return key === '' || key.endsWith('/') ? key : `${key}/`;
}
