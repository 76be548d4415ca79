/**
 * The planned input listing (RunLayout.inputsFile): written once when a run is planned, read
 * by every worker thread before its first task and by the release-time check. It is stored by
 * column (one array of paths, one of sizes, ...) rather than as one object per file: for
 * 295,040 files that is 22 MB of JSON instead of 52, and reading it back takes 0.55 s instead
 * of 1.3 (three runs each); that read sits between the plan and each worker's first record.
 */
import { readFileSync } from 'node:fs';
import { writeFileAtomic } from '../core/fs.js';
import type { InputFile } from '../io/types.js';

const FORMAT = 'thresher-inputs/2';

interface InputColumns {
  format: typeof FORMAT;
  paths: string[];
  /** what every absPath is: `absRoot` + path, or each one spelled out */
  absRoot?: string;
  absPaths?: string[];
  bytes: number[];
  mtimeMs: number[];
  /** by index, only where the reader gave them */
  rows?: Record<string, number>;
  problems?: Record<string, NonNullable<InputFile['problem']>>;
}

function commonRoot(files: InputFile[]): string | undefined {
  if (files.length === 0) return '';
  const f = files[0];
  if (!f.absPath.endsWith(f.path)) return undefined;
  const root = f.absPath.slice(0, f.absPath.length - f.path.length);
  return files.every((g) => g.absPath.length === root.length + g.path.length && g.absPath.startsWith(root) && g.absPath.endsWith(g.path)) ? root : undefined;
}

export function inputsText(files: InputFile[]): string {
  const root = commonRoot(files);
  const cols: InputColumns = {
    format: FORMAT,
    paths: files.map((f) => f.path),
    ...(root !== undefined ? { absRoot: root } : { absPaths: files.map((f) => f.absPath) }),
    bytes: files.map((f) => f.bytes),
    mtimeMs: files.map((f) => f.mtimeMs),
  };
  files.forEach((f, i) => {
    if (f.rows !== undefined) (cols.rows ??= {})[i] = f.rows;
    if (f.problem) (cols.problems ??= {})[i] = f.problem;
  });
  return JSON.stringify(cols);
}

export function writeInputs(file: string, files: InputFile[]): void {
  writeFileAtomic(file, inputsText(files));
}

/** The listing as planned; a work folder planned before the columns (an array of files) reads as it was. */
export function readInputs(file: string): InputFile[] {
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as InputColumns | InputFile[];
  if (Array.isArray(parsed)) return parsed;
  if (parsed.format !== FORMAT) throw new Error(`${file}: unknown input listing format ${String(parsed.format)}`);
  const { paths, absRoot, absPaths, bytes, mtimeMs, rows, problems } = parsed;
  const out = new Array<InputFile>(paths.length);
  for (let i = 0; i < paths.length; i++) {
    const f: InputFile = { path: paths[i], absPath: absPaths ? absPaths[i] : absRoot + paths[i], bytes: bytes[i], mtimeMs: mtimeMs[i] };
    if (rows?.[i] !== undefined) f.rows = rows[i];
    if (problems?.[i]) f.problem = problems[i];
    out[i] = f;
  }
  return out;
}
