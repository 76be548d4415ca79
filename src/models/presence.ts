/**
 * Whether a model a stage needs can be had, asked before any record is read: a local folder
 * (or `.onnx` file) holding the files, the hub cache's snapshot of a hub id, or a hub that
 * answers for it. When none, one line says what was looked for and the `huggingface-cli`
 * command that gets it; the stage fails validation with it, or skips when told to.
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import { cachedSnapshot, hubCacheDir, isHubId } from './loading.js';

export interface ModelRequest {
  /** What the model is for, as messages name it: `NSFW classifier`. */
  what: string;
  /** As the pipeline gives it: a folder (relative to `baseDir`) or a hub id. */
  source: string;
  baseDir: string;
  /** Files the model needs, relative to its folder. */
  files: string[];
  /** A hub id with this layout, suggested when `source` is a folder that lacks them. */
  suggested: string;
  /** `source` may name the one `.onnx` file itself (a face detector is one file). */
  allowFile?: boolean;
}

export interface LocateOptions {
  cacheDir?: string;
  endpoint?: string;
  /** How long the hub gets to answer a HEAD request. */
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
}

export type Presence = { found: true; where: string } | { found: false; message: string };

/** The folder or file `source` names when it exists (relative to the pipeline), else `source` as given (a hub id). */
export function localSource(source: string, baseDir: string): string {
  const local = path.resolve(baseDir, source);
  return statSync(local, { throwIfNoEntry: false }) ? local : source;
}

function missingIn(dir: string, files: readonly string[]): string[] {
  return files.filter((f) => !statSync(path.join(dir, f), { throwIfNoEntry: false })?.isFile());
}

/** `huggingface-cli download` of `files` from `id`, into the hub cache or into `folder`. */
export function downloadCommand(id: string, files: readonly string[], folder?: string): string {
  return `huggingface-cli download ${id} ${files.join(' ')}${folder ? ` --local-dir ${folder}` : ''}`;
}

/** Whether the hub serves `file` of `id`: any answer below 400 (it redirects large files). */
async function hubHas(id: string, file: string, o: LocateOptions): Promise<{ ok: boolean; why: string }> {
  const env = o.env ?? process.env;
  if (env.HF_HUB_OFFLINE === '1' || env.HF_HUB_OFFLINE === 'true') return { ok: false, why: 'HF_HUB_OFFLINE is set' };
  const endpoint = o.endpoint ?? env.HF_ENDPOINT ?? 'https://huggingface.co';
  const url = `${endpoint}/${id}/resolve/main/${file}`;
  try {
    const res = await fetch(url, { method: 'HEAD', redirect: 'manual', signal: AbortSignal.timeout(o.timeoutMs ?? 5000) });
    return { ok: res.status < 400, why: `${url} answered ${res.status}` };
  } catch (err) {
    const e = err as Error & { cause?: { code?: string; message?: string } };
    return { ok: false, why: `${url}: ${e.cause?.code ?? e.cause?.message ?? e.message}` };
  }
}

/** Where the model is, or the one line that says what was looked for and how to get it. */
export async function locateModel(req: ModelRequest, o: LocateOptions = {}): Promise<Presence> {
  const local = path.resolve(req.baseDir, req.source);
  const stat = statSync(local, { throwIfNoEntry: false });
  const head = `${req.what}: `;
  if (stat?.isFile() && req.allowFile && local.endsWith('.onnx')) return { found: true, where: local };
  if (stat?.isDirectory()) {
    const gone = missingIn(local, req.files);
    if (gone.length === 0) return { found: true, where: local };
    return { found: false, message: `${head}model folder ${local} lacks ${gone.join(', ')}; get it with \`${downloadCommand(req.suggested, req.files, local)}\`` };
  }
  if (stat || !isHubId(req.source)) {
    return {
      found: false,
      message: `${head}model ${JSON.stringify(req.source)} is no model folder (looked for ${local}) and no hub id (owner/name); get one with \`${downloadCommand(req.suggested, req.files, local)}\``,
    };
  }
  const cache = o.cacheDir ?? hubCacheDir(o.env);
  const snapshot = cachedSnapshot(cache, req.source);
  if (snapshot && missingIn(snapshot, req.files).length === 0) return { found: true, where: snapshot };
  const hub = await hubHas(req.source, req.files[0], o);
  if (hub.ok) return { found: true, where: req.source };
  return {
    found: false,
    message: `${head}model ${req.source} is not in the hub cache (${cache}) and the hub cannot give it (${hub.why}); get it where the hub is reachable with \`${downloadCommand(req.source, req.files)}\` (or add --local-dir <folder> and set model: <folder>)`,
  };
}
