/**
 * ONNX Runtime sessions: CUDA through ONNX Runtime's provider where it is installed, CPU
 * otherwise. `onnxruntime-node` installs with its postinstall skipped (`.npmrc`), which leaves
 * the CPU provider only; a machine with the CUDA provider libraries beside the binding (the
 * package's own install script puts them there) gets CUDA without a setting.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { isMainThread } from 'node:worker_threads';
import * as ort from 'onnxruntime-node';

export type Device = 'auto' | 'cuda' | 'cpu';

export interface SessionOptions {
  /** auto: CUDA when its provider is installed and starts, else CPU. */
  device?: Device;
  /** Threads inside one session; default: ONNX Runtime's own on the main thread, 1 in a worker (each worker has a session). */
  threads?: number;
}

export interface LoadedSession {
  session: ort.InferenceSession;
  /** The provider the session runs on. */
  provider: 'cuda' | 'cpu';
}

/** Whether ONNX Runtime's CUDA provider library sits beside the native binding. */
export function cudaProviderInstalled(): boolean {
  const require = createRequire(import.meta.url);
  const binding = path.join(path.dirname(require.resolve('onnxruntime-node')), '..', 'bin', 'napi-v6', process.platform, process.arch);
  return existsSync(path.join(binding, 'libonnxruntime_providers_cuda.so')) || existsSync(path.join(binding, 'onnxruntime_providers_cuda.dll'));
}

function baseOptions(options: SessionOptions): ort.InferenceSession.SessionOptions {
  const threads = options.threads ?? (isMainThread ? undefined : 1);
  return { graphOptimizationLevel: 'all', ...(threads ? { intraOpNumThreads: threads, interOpNumThreads: 1 } : {}) };
}

/** A session on `file`, on the device asked for (auto: CUDA if it can, CPU else). */
export async function createSession(file: string, options: SessionOptions = {}): Promise<LoadedSession> {
  const device = options.device ?? 'auto';
  const wantCuda = device === 'cuda' || (device === 'auto' && cudaProviderInstalled());
  if (wantCuda) {
    try {
      const session = await ort.InferenceSession.create(file, { ...baseOptions(options), executionProviders: ['cuda'] });
      return { session, provider: 'cuda' };
    } catch (err) {
      if (device === 'cuda') throw new Error(`${file}: the CUDA provider did not start: ${(err as Error).message}`);
    }
  }
  const session = await ort.InferenceSession.create(file, { ...baseOptions(options), executionProviders: ['cpu'] });
  return { session, provider: 'cpu' };
}

export { ort };
