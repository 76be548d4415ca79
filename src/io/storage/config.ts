import type { S3Client } from '@aws-sdk/client-s3';

/**
 * How thresher reaches S3. Credentials are never configured here: the AWS SDK's default chain
 * finds them (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN, AWS_PROFILE and
 * ~/.aws/credentials and config, SSO, web identity, container and instance metadata). Only the
 * endpoint of an S3-compatible store and its addressing style are options.
 */
export interface S3Options {
  /** e.g. `http://127.0.0.1:9000`; default: THRESHER_S3_ENDPOINT, then AWS_ENDPOINT_URL_S3, then AWS itself */
  endpoint?: string;
  /** `http://host/bucket/key` instead of `http://bucket.host/key`; default: on when an endpoint is set */
  forcePathStyle?: boolean;
}

let configured: S3Options = {};
let cached: { key: string; client: S3Client } | undefined;

/** Set from the pipeline file's `execution.s3` block (every process and thread loads the file). */
export function configureS3(options: S3Options): void {
  configured = { ...options };
}

export function s3Endpoint(): string | undefined {
  return configured.endpoint ?? (process.env.THRESHER_S3_ENDPOINT || undefined) ?? (process.env.AWS_ENDPOINT_URL_S3 || undefined);
}

let sdk: Promise<typeof import('@aws-sdk/client-s3') & typeof import('@aws-sdk/lib-storage')> | undefined;

/** The AWS SDK, imported on first use (its modules take ~300 ms to load; most runs never touch S3). */
export function s3Sdk(): Promise<typeof import('@aws-sdk/client-s3') & typeof import('@aws-sdk/lib-storage')> {
  sdk ??= Promise.all([import('@aws-sdk/client-s3'), import('@aws-sdk/lib-storage')]).then(([client, storage]) => ({ ...client, ...storage }));
  return sdk;
}

/** One client per configuration, shared by every store of this process or thread. */
export async function s3Client(): Promise<S3Client> {
  const { S3Client } = await s3Sdk();
  const endpoint = s3Endpoint();
  const forcePathStyle = configured.forcePathStyle ?? endpoint !== undefined;
  // The SDK insists on a region even for a store that ignores it.
  const region = process.env.AWS_REGION || process.env.AWS_DEFAULT_REGION || (endpoint ? 'us-east-1' : undefined);
  const key = JSON.stringify([endpoint, forcePathStyle, region]);
  // thresher pins the SDK (package.json): its notice that later SDK releases will need Node 22 is not the user's business
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  if (cached?.key !== key) {
    cached = { key, client: new S3Client({ ...(endpoint ? { endpoint } : {}), ...(region ? { region } : {}), forcePathStyle, maxAttempts: 5 }) };
  }
  return cached.client;
}
