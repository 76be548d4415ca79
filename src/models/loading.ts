/**
 * Where a model's files come from: a local folder in the Hugging Face hub layout (config.json,
 * tokenizer files, `onnx/*.onnx`), or a hub id (`Xenova/clip-vit-base-patch32`) looked up in the
 * hub cache (`$HF_HUB_CACHE`, else `$HF_HOME/hub`, else `~/.cache/huggingface/hub`, the layout
 * `huggingface_hub` writes) and downloaded into it when the hub is reachable.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ThresherError } from '../core/errors.js';

export class ModelLoadError extends ThresherError {
  constructor(message: string) {
    super(message);
    this.name = 'ModelLoadError';
  }
}

/** The hub cache folder, as huggingface_hub resolves it. */
export function hubCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.HF_HUB_CACHE) return env.HF_HUB_CACHE;
  const home = env.HF_HOME ?? path.join(env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'huggingface');
  return path.join(home, 'hub');
}

const HUB_ID = /^[A-Za-z0-9][\w.-]*\/[\w.-]+$/;

/** Whether `source` has the shape of a hub id (`owner/name`). */
export function isHubId(source: string): boolean {
  return HUB_ID.test(source);
}

function isDir(p: string): boolean {
  return statSync(p, { throwIfNoEntry: false })?.isDirectory() ?? false;
}

/** The snapshot folder of a hub id in the cache (refs/main's commit), if there is one. */
export function cachedSnapshot(cache: string, id: string): string | undefined {
  const repo = path.join(cache, `models--${id.replace('/', '--')}`);
  const ref = path.join(repo, 'refs', 'main');
  if (!existsSync(ref)) return undefined;
  const snapshot = path.join(repo, 'snapshots', readFileSync(ref, 'utf8').trim());
  return isDir(snapshot) ? snapshot : undefined;
}

async function download(id: string, file: string, into: string, endpoint: string): Promise<string | undefined> {
  const url = `${endpoint}/${id}/resolve/main/${file}`;
  let res: Response;
  try {
    res = await fetch(url, { redirect: 'follow' });
  } catch (err) {
    throw new ModelLoadError(
      `model ${id}: not in the hub cache (${hubCacheDir()}) and the hub is not reachable (${url}: ${(err as Error).cause ?? (err as Error).message}); download the model folder on a machine that can reach it and pass its path`,
    );
  }
  if (!res.ok) throw new ModelLoadError(`model ${id}: ${url} answered ${res.status} ${res.statusText}`);
  const target = path.join(into, file);
  mkdirSync(path.dirname(target), { recursive: true });
  writeFileSync(target + '.part', Buffer.from(await res.arrayBuffer()));
  renameSync(target + '.part', target);
  return res.headers.get('x-repo-commit') ?? undefined;
}

export interface ResolveOptions {
  /** Files the model needs, relative to its folder (e.g. `onnx/vision_model.onnx`). */
  files: string[];
  /** Files used when present (e.g. `preprocessor_config.json`); fetched best effort. */
  optional?: string[];
  cacheDir?: string;
  /** Hub address; default `$HF_ENDPOINT` or https://huggingface.co. */
  endpoint?: string;
}

/**
 * A local folder holding `files`: the path itself when it is a folder, else the cached snapshot
 * of the hub id, downloading what is missing. Fails with a message that says what to do.
 */
export async function resolveModelDir(source: string, options: ResolveOptions): Promise<string> {
  const missing = (dir: string) => options.files.filter((f) => !existsSync(path.join(dir, f)));
  if (isDir(source)) {
    const gone = missing(source);
    if (gone.length > 0) throw new ModelLoadError(`model folder ${source} lacks ${gone.join(', ')}`);
    return source;
  }
  if (!HUB_ID.test(source)) throw new ModelLoadError(`model ${source}: no such folder, and not a hub id (owner/name)`);
  const cache = options.cacheDir ?? hubCacheDir();
  const cached = cachedSnapshot(cache, source);
  if (cached && missing(cached).length === 0) return cached;
  const endpoint = options.endpoint ?? process.env.HF_ENDPOINT ?? 'https://huggingface.co';
  const staging = cached ?? path.join(cache, `models--${source.replace('/', '--')}`, 'snapshots', 'main');
  let commit: string | undefined;
  for (const f of missing(staging)) commit ??= await download(source, f, staging, endpoint);
  for (const f of options.optional ?? []) if (!existsSync(path.join(staging, f))) await download(source, f, staging, endpoint).catch(() => undefined);
  const ref = path.join(cache, `models--${source.replace('/', '--')}`, 'refs', 'main');
  if (!cached) {
    mkdirSync(path.dirname(ref), { recursive: true });
    const final = commit ? path.join(path.dirname(staging), commit) : staging;
    if (final !== staging) renameSync(staging, final);
    writeFileSync(ref, path.basename(final));
    return final;
  }
  return cached;
}
