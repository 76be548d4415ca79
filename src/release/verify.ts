import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { sha256File, type Manifest } from './manifest.js';
import { countRows } from './rows.js';

export interface VerifyProblem {
  file: string;
  problem: string;
}

function walk(dir: string, base = dir): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const abs = path.join(dir, name);
    if (statSync(abs).isDirectory()) out.push(...walk(abs, base));
    else out.push(path.relative(base, abs).split(path.sep).join('/'));
  }
  return out;
}

/** Re-checks every file of a release against its manifest: presence, size, sha256, rows. */
export async function verifyRelease(dir: string): Promise<{ manifest?: Manifest; problems: VerifyProblem[]; checked: number }> {
  const manifestPath = path.join(dir, 'manifest.json');
  if (!existsSync(manifestPath)) return { problems: [{ file: manifestPath, problem: 'missing: not a thresher release' }], checked: 0 };
  let manifest: Manifest;
  try {
    manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest;
  } catch (err) {
    return { problems: [{ file: manifestPath, problem: `not valid JSON (${(err as Error).message})` }], checked: 0 };
  }
  const problems: VerifyProblem[] = [];
  const listed = new Set<string>(['manifest.json', 'README.md']);
  for (const f of manifest.files) {
    listed.add(f.path);
    const abs = path.join(dir, f.path);
    if (!existsSync(abs)) {
      problems.push({ file: abs, problem: 'missing' });
      continue;
    }
    const bytes = statSync(abs).size;
    if (bytes !== f.bytes) problems.push({ file: abs, problem: `size ${bytes} bytes, manifest says ${f.bytes}` });
    else if ((await sha256File(abs)) !== f.sha256) problems.push({ file: abs, problem: 'sha256 differs from the manifest' });
    else if (f.rows !== null) {
      let rows: number | null = null;
      try {
        rows = await countRows(abs);
      } catch (err) {
        problems.push({ file: abs, problem: `unreadable: ${(err as Error).message.split('\n')[0]}` });
        continue;
      }
      if (rows !== f.rows) problems.push({ file: abs, problem: `${rows} rows, manifest says ${f.rows}` });
    }
  }
  for (const rel of walk(dir)) if (!listed.has(rel)) problems.push({ file: path.join(dir, rel), problem: 'not in the manifest' });
  return { manifest, problems, checked: manifest.files.length };
}
