import { ThresherError } from '../../core/errors.js';
import { s3Endpoint } from './config.js';

interface SdkError {
  name?: string;
  code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
  Code?: string;
}

/** An SDK error as one line a user acts on, naming the bucket or key it concerns. */
export function s3Problem(err: unknown): string {
  const e = (err ?? {}) as SdkError;
  const name = e.name ?? e.Code ?? '';
  const status = e.$metadata?.httpStatusCode;
  if (name === 'NoSuchBucket') return 'no such bucket';
  if (name === 'NoSuchKey' || (name === 'NotFound' && status === 404)) return 'no such key';
  if (name === 'AccessDenied' || status === 403) return 'access denied (check the credentials the AWS SDK found and their policy)';
  if (name === 'CredentialsProviderError' || /credential/i.test(e.message ?? ''))
    return 'no S3 credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE with ~/.aws/credentials (never in the pipeline file)';
  const code = e.code ?? '';
  if (['ECONNREFUSED', 'ENOTFOUND', 'ETIMEDOUT', 'ECONNRESET', 'EAI_AGAIN'].includes(code)) return `cannot reach the S3 endpoint ${s3Endpoint() ?? '(AWS)'} (${code})`;
  return `${name || 'S3 error'}: ${(e.message ?? String(err)).split('\n')[0]}`;
}

/** A ThresherError `<url>: <problem>`: one line, no stack. */
export function s3Error(url: string, err: unknown): ThresherError {
  return new ThresherError(`${url}: ${s3Problem(err)}`);
}

export function isNotFound(err: unknown): boolean {
  const e = (err ?? {}) as SdkError;
  return e.name === 'NoSuchKey' || e.name === 'NotFound' || e.$metadata?.httpStatusCode === 404;
}

export function isPreconditionFailed(err: unknown): boolean {
  const e = (err ?? {}) as SdkError;
  // 412: the key exists; 409: a concurrent conditional write to it is in flight (S3 asks to retry; the other writer wins)
  return e.name === 'PreconditionFailed' || e.$metadata?.httpStatusCode === 412 || e.name === 'ConditionalRequestConflict';
}
