import { existsSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { isGlob } from '../io/glob.js';
import { isS3Url } from '../io/storage/url.js';

/** The real path of `p`, resolving symlinks in the part of it that exists. */
function realish(p: string): string {
  let head = path.resolve(p);
  const tail: string[] = [];
  while (!existsSync(head) && path.dirname(head) !== head) {
    tail.unshift(path.basename(head));
    head = path.dirname(head);
  }
  try {
    return path.join(realpathSync(head), ...tail);
  } catch {
    return path.resolve(p);
  }
}

/** The folder a glob input walks: its leading segments without wildcards. */
function walkedRoot(input: string): string {
  if (!isGlob(input)) return input;
  const fixed: string[] = [];
  for (const part of input.split('/')) {
    if (isGlob(part)) break;
    fixed.push(part);
  }
  return fixed.join('/') || '/';
}

/**
 * An output folder equal to or inside an input folder is read back as input: the first run
 * ingests its own lock and work files, the next one the previous release.
 */
export function outputInsideInput(inputPaths: string | string[], outputPath: string, baseDir: string): string | undefined {
  const inputs = Array.isArray(inputPaths) ? inputPaths : [inputPaths];
  if (isS3Url(outputPath) || inputs.some(isS3Url)) {
    // keys, not files: an output prefix inside an input prefix of the same bucket
    const folder = (u: string) => (u.endsWith('/') ? u : `${u}/`);
    return inputs.find((given) => isS3Url(given) && isS3Url(outputPath) && folder(outputPath).startsWith(folder(walkedRoot(given))));
  }
  const out = realish(path.resolve(baseDir, outputPath));
  for (const given of inputs) {
    const input = realish(path.resolve(baseDir, walkedRoot(given)));
    if (out === input || out.startsWith(input.endsWith(path.sep) ? input : input + path.sep)) return given;
  }
  return undefined;
}
