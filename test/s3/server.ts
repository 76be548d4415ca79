/**
 * An S3-compatible server (s3rver) inside the test process, on 127.0.0.1 and a free port, its
 * objects in a temporary folder. This process and its children (the thresher CLI) reach it
 * through the environment, as a user would: THRESHER_S3_ENDPOINT and the SDK's credential
 * variables. s3rver does not enforce If-None-Match (see storage.test.ts for that logic).
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import { tempDir } from '../helpers/fixtures.js';
import { removeIfExists } from '../../src/core/fs.js';
import { thresherAsync, type CliResult } from '../helpers/cli.js';

/**
 * The CLI in a child process, without blocking this one: s3rver answers from this process's
 * event loop, so a spawnSync'd thresher would wait forever for it.
 */
export function cli(args: string[]): Promise<CliResult> {
  const child = thresherAsync(args);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

export interface TestS3 {
  endpoint: string;
  client: S3Client;
  createBucket(name: string): Promise<void>;
  stop(): Promise<void>;
}

export async function startS3(): Promise<TestS3> {
  const directory = tempDir('thresher-s3rver-');
  const server = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory });
  answerAfterWrites((server as unknown as { store: FilesystemStore }).store);
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  Object.assign(process.env, { THRESHER_S3_ENDPOINT: endpoint, AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER', AWS_REGION: 'us-east-1' });
  const client = new S3Client({ endpoint, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
  return {
    endpoint,
    client,
    createBucket: async (name) => void (await client.send(new CreateBucketCommand({ Bucket: name }))),
    stop: async () => {
      client.destroy();
      await server.close();
      removeIfExists(directory);
    },
  };
}

/** The parts of s3rver 3.7's FilesystemStore that `answerAfterWrites` wraps. */
interface FilesystemStore {
  getResourcePath(bucket: string, key: string | undefined, resource: string): string;
  putObject(object: { bucket: string; key: string }): Promise<{ size: number }>;
  putPart(bucket: string, uploadId: string, partNumber: number, content: unknown): Promise<{ size: number }>;
}

/**
 * s3rver answers a PUT (object or part) when its hashing stream has seen every byte, not when the
 * file stream has written them: under load, a listing or a multipart completion right after reads
 * a short file (seen once in CI: a 1-byte object listed with 0 bytes). Answering only once the file
 * holds every byte makes the server behave as S3 does, so the tests see only thresher's behaviour.
 */
function answerAfterWrites(store: FilesystemStore): void {
  const putObject = store.putObject.bind(store);
  const putPart = store.putPart.bind(store);
  store.putObject = async (object) => {
    const result = await putObject(object);
    await whenFileHolds(store.getResourcePath(object.bucket, object.key, 'object'), result.size);
    return result;
  };
  store.putPart = async (bucket, uploadId, partNumber, content) => {
    const result = await putPart(bucket, uploadId, partNumber, content);
    await whenFileHolds(path.join(store.getResourcePath(bucket, undefined, 'uploads'), uploadId, String(partNumber)), result.size);
    return result;
  };
}

async function whenFileHolds(file: string, bytes: number): Promise<void> {
  const size = (): Promise<number> =>
    stat(file).then(
      (s) => s.size,
      () => 0,
    ); // not opened yet: nothing written
  for (let waited = 0; (await size()) < bytes; waited += 5) {
    if (waited > 30_000) throw new Error(`s3rver: ${file} still short of ${bytes} bytes after 30 s`);
    await sleep(5);
  }
}
